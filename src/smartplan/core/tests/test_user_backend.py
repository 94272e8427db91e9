"""A logged-in request reads its user with one kept statement (core.user_backend), and what
users notice of logging in stays Django's: a login lasts, a changed password or a
deactivated or deleted account ends the other sessions, two-factor still gates."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartplan.core.user_backend import UserBackend, user_statements_forget
from smartplan.urls import urlpatterns as smartplan_urls

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-editorky-7"
USER_BACKEND = "smartplan.core.user_backend.UserBackend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
FIXED = "/pevna-stranka/"
TEXT = "Akční plán chytrého regionu"


@login_required
def _fixed(request):
    """A fixed string for a logged-in user, behind all of smartplan's middleware."""
    return HttpResponse(f"{TEXT} ({request.user.username})", content_type="text/plain")


urlpatterns = [path(FIXED.strip("/") + "/", _fixed), *smartplan_urls]
HERE = "smartplan.core.tests.test_user_backend"


@pytest.fixture(autouse=True)
def _fresh_statements():
    """Each test compiles the statement once itself (and a test's database changes stay its
    own)."""
    user_statements_forget()
    yield
    user_statements_forget()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editorka", "e@example.invalid", PASSWORD)


def _login(username="editorka", password=PASSWORD, **extra):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    data = {"username": username, "password": password, "next": "/admin/", **extra}
    response = client.post("/admin/login/", data)
    return client, response


def _code(device):
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def test_a_login_lasts_and_names_the_new_backend(editor):
    client, response = _login()
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == USER_BACKEND
    for _ in range(2):  # the first request compiles, the second runs the kept statement
        page = client.get("/admin/")
        assert page.status_code == 200
        assert "editorka" in page.content.decode()


def test_a_wrong_password_is_refused(editor):
    client, response = _login(password="spatne-heslo")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_changed_password_logs_out_the_other_sessions(editor):
    mine, _ = _login()
    other, _ = _login()
    assert other.get("/admin/").status_code == 200
    new = "nove-heslo-editorky-9"
    changed = mine.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    # The session that changed it stays; the other one goes back to the login.
    assert mine.get("/admin/").status_code == 200
    refused = other.get("/admin/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in other.session
    assert _login(password=new)[1].status_code == 302


@pytest.mark.urls(HERE)
def test_a_deactivated_account_is_refused_at_once(editor):
    client, _ = _login()
    assert client.get(FIXED).status_code == 200
    User.objects.filter(pk=editor.pk).update(is_active=False)
    # Not only the editing interface (which asks is_active itself): any page that needs a
    # login sends the session back to it.
    refused = client.get(FIXED)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/prihlaseni/")
    assert client.get("/admin/").status_code == 302
    assert _login()[1].status_code == 200  # and cannot log in again
    # Active again: a new login works, read by the same kept statement.
    User.objects.filter(pk=editor.pk).update(is_active=True)
    client, response = _login()
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.urls(HERE)
def test_a_deleted_account_becomes_anonymous(editor):
    client, _ = _login()
    assert client.get(FIXED).status_code == 200
    editor.delete()
    response = client.get(FIXED)
    assert response.status_code == 302
    assert response["Location"].startswith("/prihlaseni/")


def test_two_factor_still_gates_the_editing_interface(editor):
    device = TOTPDevice.objects.create(user=editor, name="telefon", confirmed=True)
    without, response = _login()
    assert "zadejte také kód z aplikace" in response.content.decode()
    assert without.get("/admin/").status_code == 302
    # Logged in another way without a code: the gate sends it back to the login.
    skipped = Client()
    skipped.force_login(editor)
    assert skipped.session[BACKEND_SESSION_KEY] == USER_BACKEND
    assert skipped.get("/admin/").status_code == 302
    with_code, response = _login(otp_token=_code(device))
    assert response.status_code == 302
    assert with_code.get("/admin/").status_code == 200
    assert with_code.get("/admin/").status_code == 200


def test_the_user_is_the_same_as_the_orm_s(editor):
    """Every concrete field, of the same type, and the same state: on SQLite a raw cursor
    gives booleans as integers and datetimes as text, the kept converters make them Django's."""
    editor.first_name = "Žofie"
    editor.last_name = "Nováková-Šťastná"
    editor.is_staff = False
    editor.last_login = timezone.now().replace(microsecond=123456)
    editor.date_joined = dt.datetime(2020, 2, 29, 23, 59, 58, 1, tzinfo=dt.UTC)
    editor.save()
    backend = UserBackend()
    for _ in range(2):  # compiled, then kept
        ours = backend.get_user(editor.pk)
        django_s = ModelBackend().get_user(editor.pk)
        assert type(ours) is User
        for field in User._meta.concrete_fields:
            mine, theirs = getattr(ours, field.attname), getattr(django_s, field.attname)
            assert mine == theirs, field.name
            assert type(mine) is type(theirs), field.name
        assert ours.is_superuser is True
        assert ours.is_staff is False
        assert isinstance(ours.last_login, dt.datetime)
        assert timezone.is_aware(ours.last_login)
        assert ours.last_login == editor.last_login
        assert ours.date_joined == editor.date_joined
        assert ours._state.db == django_s._state.db == "default"
        assert ours._state.adding is django_s._state.adding is False
        assert ours.get_session_auth_hash() == django_s.get_session_auth_hash()
        assert ours.has_perm("auth.view_user")
    # The session key as a string (how a session stores it) reads the same user.
    assert backend.get_user(str(editor.pk)).pk == editor.pk
    assert backend.get_user(editor.pk + 10_000) is None
    assert backend.get_user(None) is None


@pytest.mark.urls(HERE)
def test_a_logged_in_fixed_page_reads_session_and_user_without_compiling(editor):
    client, _ = _login()
    assert client.get(FIXED).status_code == 200  # the user's statement is compiled here
    compiled = []
    real_as_sql = SQLCompiler.as_sql

    def counting_as_sql(self, *args, **kwargs):
        compiled.append(self.query.model)
        return real_as_sql(self, *args, **kwargs)

    with (
        CaptureQueriesContext(connection) as captured,
        mock.patch.object(SQLCompiler, "as_sql", counting_as_sql),
    ):
        response = client.get(FIXED)
    assert response.status_code == 200
    assert response.content.decode() == f"{TEXT} (editorka)"
    sqls = [query["sql"] for query in captured.captured_queries]
    # The same two statements as with Django's ModelBackend: the session, the user.
    assert len(sqls) == 2
    assert sqls[0].startswith('SELECT "session_data"')
    assert sqls[1].startswith('SELECT "auth_user"."id", "auth_user"."password"')
    assert sqls[1].endswith(f'WHERE "auth_user"."id" = {editor.pk}')
    # ... and neither was compiled by Django's ORM for this request.
    assert compiled == []

    # Django's own backend, for the same session, asks the same two questions.
    session = client.session
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session.save()
    with (
        override_settings(AUTHENTICATION_BACKENDS=[MODEL_BACKEND]),
        CaptureQueriesContext(connection) as django_s,
    ):
        assert client.get(FIXED).content.decode() == f"{TEXT} (editorka)"
    assert len(django_s) == 2
    assert django_s.captured_queries[1]["sql"].startswith(sqls[1])
