"""The editing interface's register lists are kept until what they show changes
(core.list_page_cache): a kept page is served with few queries whatever the data, and
every change - a row, a recompute, a role, another account's name, a message - shows at
the very next request."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartplan.access.models import PlanRole
from smartplan.access.services import editors_ensure, plan_role_grant
from smartplan.core.kept_pages import CSRF_SLOT
from smartplan.core.models import AccountsVersion
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.models import StatesFreshness
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

STACK = "/admin/stack/stackitem/"
MEASUREMENTS = "/admin/indicators/measurement/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _coordinator(plan, name="koordinatorka", first_name="Jana"):
    user = User.objects.create_user(name, first_name=first_name, last_name="Nováková")
    plan_role_grant(plan=plan, user=user, role="coordinator")
    client = Client(HTTP_ACCEPT_LANGUAGE="cs", enforce_csrf_checks=True)
    client.force_login(user)
    return user, client


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_list_seen_again_is_served_kept_with_few_queries_whatever_the_data(demo_plan):
    _, client = _coordinator(demo_plan)
    first, rendered = _get(client, STACK)
    again, kept = _get(client, STACK)
    assert kept < rendered
    # The session (with the data's versions, which the two-factor gate reads too) and the
    # user: a logged-in page cannot ask less.
    assert kept == 2, kept
    # The page is the same page (only its CSRF tokens are new).
    assert TOKEN.sub("", again) == TOKEN.sub("", first)
    assert "Celkem" in again or "CELKEM" in again.upper()
    # More rows: the kept page still costs the same.
    item = StackItem.objects.filter(plan=demo_plan).first()
    for number in range(30):
        item.pk, item.number = None, 1000 + number
        item.save()
    _get(client, STACK)
    assert _get(client, STACK)[1] == kept


def test_a_kept_page_has_fresh_csrf_tokens_that_work(demo_plan):
    _, client = _coordinator(demo_plan)
    first, _ = _get(client, STACK)
    again, _ = _get(client, STACK)
    tokens = TOKEN.findall(first), TOKEN.findall(again)
    assert len(tokens[0]) == len(tokens[1]) >= 2  # the log-out form and the actions form
    assert not set(tokens[0]) & set(tokens[1]), "every response's token masked anew"
    assert CSRF_SLOT not in first + again
    # The kept page's token is accepted by a form post (the list's action, with no row
    # chosen: Django answers with its message, not the CSRF refusal).
    response = client.post(
        STACK,
        {"csrfmiddlewaretoken": TOKEN.findall(again)[-1], "action": "delete_selected", "index": 0},
    )
    assert response.status_code == 302
    refused = client.post(
        STACK, {"csrfmiddlewaretoken": "x" * 64, "action": "delete_selected", "index": 0}
    )
    assert refused.status_code == 403


def test_a_changed_row_shows_at_the_next_request(demo_plan):
    _, client = _coordinator(demo_plan)
    _get(client, STACK)
    item = StackItem.objects.filter(plan=demo_plan).order_by("pk").first()
    item.name = "Chytré lavičky v Jablonci nad Nisou"
    item.save()
    page, _ = _get(client, STACK)
    assert "Chytré lavičky v Jablonci nad Nisou" in page


def test_a_bulk_write_that_announces_itself_shows_too(demo_plan):
    """An import's bulk write sends plan_data_changed: the plan's version rises."""
    _, client = _coordinator(demo_plan)
    before, _ = _get(client, MEASUREMENTS)
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    from smartplan.core.signals import plan_data_changed_send

    Measurement.objects.bulk_create(
        [Measurement(plan=demo_plan, sub_indicator=sub, date=timezone.localdate(), value=4321)]
    )
    plan_data_changed_send(model=Measurement, plan_id=demo_plan.pk)
    after, _ = _get(client, MEASUREMENTS)
    assert "4 321" in after.replace("\xa0", " ")
    assert "4 321" not in before.replace("\xa0", " ")


def test_another_accounts_new_name_shows_in_the_list(demo_plan):
    _, client = _coordinator(demo_plan)
    provider = User.objects.create_user("dodavatel", first_name="Petr", last_name="Dvořák")
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    Measurement.objects.create(
        plan=demo_plan, sub_indicator=sub, date=timezone.localdate(), value=7, entered_by=provider
    )
    assert "dodavatel" in _get(client, MEASUREMENTS)[0]
    provider.username = "dodavatel-prejmenovany"
    provider.save()
    assert "dodavatel-prejmenovany" in _get(client, MEASUREMENTS)[0]


def test_a_login_elsewhere_keeps_the_pages(demo_plan):
    """Only ``last_login`` changes at a login; no page shows it."""
    user, client = _coordinator(demo_plan)
    _get(client, STACK)
    other = Client()
    other.force_login(user)  # updates last_login
    assert _get(client, STACK)[1] == 2


def test_a_revoked_role_is_refused_at_once(demo_plan):
    user, client = _coordinator(demo_plan)
    _get(client, STACK)
    PlanRole.objects.filter(user=user).delete()
    assert client.get(STACK).status_code == 403


def test_a_second_reader_never_gets_the_first_readers_page(demo_plan, other_plan):
    demo_plan.published = False  # the public (any account) may read a published plan
    demo_plan.save()
    _, coordinator = _coordinator(demo_plan)
    mine, _ = _get(coordinator, STACK)
    _, stranger = _coordinator(other_plan, name="cizi", first_name="Cizí")
    theirs, _ = _get(stranger, STACK)
    item = StackItem.objects.filter(plan=demo_plan).order_by("pk").first()
    assert str(item.number) in mine
    assert f'value="{item.pk}"' in mine
    assert f'value="{item.pk}"' not in theirs
    assert "Cizí" in theirs
    assert "Cizí" not in mine


def test_a_permission_given_through_a_group_shows_at_once(demo_plan):
    """Django's own permissions (not a role) change what the page offers."""
    user = User.objects.create_user("ctenar", is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    assert client.get(STACK).status_code == 403
    readers = Group.objects.create(name="Čtenáři zásobníku")
    user.groups.add(readers)
    readers.permissions.add(Permission.objects.get(codename="view_stackitem"))
    listed = client.get(STACK)
    assert listed.status_code == 200
    readers.permissions.clear()
    assert client.get(STACK).status_code == 403


def test_a_message_is_shown_once_and_never_kept(demo_plan):
    _, client = _coordinator(demo_plan)
    _get(client, STACK)
    response = client.post(
        STACK, {"csrfmiddlewaretoken": _token(client), "action": "delete_selected", "index": 0}
    )
    assert response.status_code == 302
    with_message, _queries = _get(client, STACK)
    assert 'class="messagelist"' in with_message
    without, _ = _get(client, STACK)
    assert 'class="messagelist"' not in without


def _token(client):
    return TOKEN.findall(_get(client, STACK)[0])[0]


def test_a_recompute_of_the_states_shows(demo_plan):
    """The list's status column comes from the stored states: a recompute moves the stamp."""
    _, client = _coordinator(demo_plan)
    _get(client, MEASUREMENTS)
    before = _get(client, MEASUREMENTS)[1]
    StatesFreshness.objects.filter(plan=demo_plan).update(states_version=10**6)
    assert _get(client, MEASUREMENTS)[1] > before


def test_a_plan_without_its_freshness_row_keeps_nothing(demo_plan):
    _, client = _coordinator(demo_plan)
    StatesFreshness.objects.filter(plan=demo_plan).delete()
    _get(client, STACK)  # the first request also asks the two-factor gate's question
    again = _get(client, STACK)[1]
    assert again > 2
    assert _get(client, STACK)[1] == again  # rendered again: nothing kept


def test_lists_of_bookkeeping_are_never_kept(demo_plan):
    """Roles announce no change of the plan's data: their list is rendered every time."""
    admin = User.objects.create_superuser("spravce", "s@example.invalid", "x")
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(admin)
    _get(client, "/admin/access/planrole/")
    again = _get(client, "/admin/access/planrole/")[1]
    assert again > 2
    assert _get(client, "/admin/access/planrole/")[1] == again


def test_a_device_confirmed_meanwhile_closes_the_editing_interface_at_once(demo_plan):
    """The two-factor gate remembers "no device" only for the accounts' version it read."""
    user, client = _coordinator(demo_plan)
    _get(client, STACK)
    _get(client, STACK)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    response = client.get(STACK)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_making_editors_in_bulk_moves_the_accounts_version(demo_plan):
    user = User.objects.create_user("budouci-editor")
    before = AccountsVersion.objects.get().version
    editors_ensure(user_ids=[user.pk])
    assert AccountsVersion.objects.get().version > before
    editors_ensure(user_ids=[user.pk])  # nothing to change: nothing moves
    assert AccountsVersion.objects.get().version == before + 1
