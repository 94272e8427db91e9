"""Sessions logged in before the upgrade stay logged in: core migration 0003 rewrites the
backend they name (Django's ModelBackend) to smartplan's UserBackend, and back."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from smartplan.core.session_store import SessionStore

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-editorky-8"
NAME = "0003_sessions_user_backend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
USER_BACKEND = "smartplan.core.user_backend.UserBackend"
BEFORE = [*settings.AUTHENTICATION_BACKENDS[:-1], MODEL_BACKEND]
migration = importlib.import_module(f"smartplan.core.migrations.{NAME}")


def _run(direction):
    """The migration's function as ``migrate`` calls it, with the models as they were then."""
    loader = MigrationLoader(connection)
    apps = loader.project_state(("core", NAME)).apps
    direction(apps, SimpleNamespace(connection=connection))


def _login_before_the_upgrade(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    with override_settings(AUTHENTICATION_BACKENDS=BEFORE):
        data = {"username": username, "password": PASSWORD, "next": "/admin/"}
        assert client.post("/admin/login/", data).status_code == 302
        assert client.session[BACKEND_SESSION_KEY] == MODEL_BACKEND
        assert client.get("/admin/").status_code == 200
    return client


def test_the_migration_follows_core_and_sessions_and_is_applied():
    loader = MigrationLoader(connection)
    node = loader.graph.node_map[("core", NAME)]
    assert ("sessions", "0001_initial") in {parent.key for parent in node.parents}
    assert ("core", NAME) in loader.applied_migrations
    assert ("core", NAME) in loader.graph.leaf_nodes("core")


def test_sessions_of_the_old_backend_stay_logged_in(django_user_model):
    for name in ("editorka", "redaktor"):
        django_user_model.objects.create_superuser(name, f"{name}@example.invalid", PASSWORD)
    editor = _login_before_the_upgrade("editorka")
    other = _login_before_the_upgrade("redaktor")
    # Without the migration the upgrade would log them out.
    assert editor.get("/admin/").status_code == 302
    # A visitor's session without a login, and a row that does not decode (another secret
    # key): left as they are.
    visitor = SessionStore()
    visitor["django_language"] = "cs"
    visitor.create()
    visitor_data = Session.objects.get(session_key=visitor.session_key).session_data
    damaged = Session.objects.create(
        session_key="x" * 32,
        session_data="nejde-rozlustit:1abc:xyz",
        expire_date=timezone.now() + dt.timedelta(days=1),
    )

    _run(migration._forwards)

    for client, name in ((editor, "editorka"), (other, "redaktor")):
        assert client.session[BACKEND_SESSION_KEY] == USER_BACKEND
        page = client.get("/admin/")
        assert page.status_code == 200
        assert name in page.content.decode()
    assert Session.objects.get(session_key=visitor.session_key).session_data == visitor_data
    assert Session.objects.get(session_key=damaged.session_key).session_data == (
        damaged.session_data
    )

    # Reversed: the sessions name ModelBackend again, as the older release expects.
    _run(migration._backwards)
    assert editor.session[BACKEND_SESSION_KEY] == MODEL_BACKEND
    with override_settings(AUTHENTICATION_BACKENDS=BEFORE):
        assert editor.get("/admin/").status_code == 200
    assert Session.objects.get(session_key=visitor.session_key).session_data == visitor_data


def test_many_sessions_are_rewritten_page_by_page(django_user_model, monkeypatch):
    user = django_user_model.objects.create_user("ctenar", password=PASSWORD)
    monkeypatch.setattr(migration, "_BATCH", 3)
    keys = []
    for _ in range(7):
        store = SessionStore()
        store.update({"_auth_user_id": str(user.pk), BACKEND_SESSION_KEY: MODEL_BACKEND})
        store.create()
        keys.append(store.session_key)
    _run(migration._forwards)
    for key in keys:
        assert SessionStore(key).load()[BACKEND_SESSION_KEY] == USER_BACKEND
