"""What every logged-in page and every register list costs stays small: the roles answer
permission questions before Django's own tables are read, a list row's checkbox is written
without rendering a form widget, and a list's filters ask about the user's plans once."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from smartplan.access.services import plan_role_grant
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

STACK = "/admin/stack/stackitem/"


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def test_django_s_own_permissions_still_count_after_the_roles(demo_plan):
    clerk = User.objects.create_user("referent", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_user"))
    clerk = User.objects.get(pk=clerk.pk)  # no permission kept from before
    assert clerk.has_perm("auth.view_user")
    assert not clerk.has_perm("stack.change_stackitem")
    coordinator = User.objects.create_user("koordinator-p")
    plan_role_grant(plan=demo_plan, user=coordinator, role="coordinator")
    coordinator = User.objects.get(pk=coordinator.pk)
    item = StackItem.objects.filter(plan=demo_plan).first()
    with CaptureQueriesContext(connection) as captured:
        assert coordinator.has_perm("stack.change_stackitem", item)
        assert coordinator.has_perm("stack.change_stackitem")
    # Granted by the role: Django's tables of user and group permissions are not read.
    assert not [q for q in captured.captured_queries if "auth_permission" in q["sql"]]
    assert not coordinator.has_perm("auth.view_user")


def test_a_row_s_checkbox_is_django_s_own(demo_plan):
    item = StackItem.objects.filter(plan=demo_plan).first()
    item.name = 'Zastávky "U Nádraží" <b>&</b> okolí'
    model_admin = admin.site._registry[StackItem]
    with translation.override("cs"):
        ours = model_admin.action_checkbox(item)
        django_s = admin.ModelAdmin.action_checkbox(model_admin, item)
    assert ours == django_s
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in ours


def test_the_stack_list_asks_once_which_plans_the_coordinator_works_in(demo_plan):
    coordinator = User.objects.create_user("koordinator-s")
    plan_role_grant(plan=demo_plan, user=coordinator, role="coordinator")
    client = _client(coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(STACK)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="action-select"') == min(50, StackItem.objects.count())
    asked = [q for q in captured.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]
    # For four related filters, one question about plans.
    assert len(asked) == 1
    assert "plans_plan" in asked[0]["sql"]
    # The two-factor gate asks once whether the account has a confirmed device.
    devices = [q for q in captured.captured_queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(devices) == 1
    # Rendered (not yet kept): the list's own queries and the data's stamp of the kept page.
    assert len(captured) <= 16


def test_a_session_is_read_in_one_plain_statement_and_ends_as_in_django(demo_plan):
    user = User.objects.create_user("koordinator-e")
    plan_role_grant(plan=demo_plan, user=user, role="coordinator")
    url = reverse("monitoring:dashboard", args=[demo_plan.slug])
    client = _client(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert captured.captured_queries[0]["sql"].startswith('SELECT "session_data"')
    # An expired session logs no one in.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 302
    # Logging out ends the session (its row is gone), whatever worker answers next.
    client = _client(user)
    assert client.get(url).status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=cookie).exists()
    stolen = Client(HTTP_ACCEPT_LANGUAGE="cs")
    stolen.cookies["sessionid"] = cookie
    assert stolen.get(url).status_code == 302
    # Another user's session is theirs: each page names its own user.
    other = User.objects.create_user("koordinator-f")
    plan_role_grant(plan=demo_plan, user=other, role="coordinator")
    assert "(koordinator-f)" in _client(other).get(url).content.decode()
    assert "(koordinator-e)" in _client(user).get(url).content.decode()
