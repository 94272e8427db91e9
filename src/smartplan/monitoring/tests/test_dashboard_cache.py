"""The dashboard's body kept per plan version: fast, but never stale, foreign or another's."""

import re
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.access.models import PlanRole
from smartplan.access.services import plan_role_grant
from smartplan.core.signals import plan_data_changed_send
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.monitoring.freshness import states_mark_stale
from smartplan.monitoring.models import StatesFreshness
from smartplan.monitoring.services import plan_states_recompute
from smartplan.organisations.models import Person
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    # Django's cache outlives each test's database transaction.
    cache.clear()
    yield
    cache.clear()


def _client(django_user_model, plan, username, role):
    user = django_user_model.objects.create_user(username, password=f"heslo-{username}")
    plan_role_grant(plan=plan, user=user, role=role)
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def _dashboard(client, plan, query=""):
    response = client.get(reverse("monitoring:dashboard", args=[plan.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_bulk_change_in_another_worker_shows_at_the_next_request(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    assert "772\xa0mil.\xa0Kč" in _dashboard(coordinator, demo_plan)
    # Another worker's bulk write: no object here saw it, only the plan's version moved.
    StackItem.objects.filter(plan=demo_plan, status=1).update(finance_mil=Decimal(0))
    plan_data_changed_send(model=StackItem, plan_id=demo_plan.pk)
    page = _dashboard(coordinator, demo_plan)
    assert "772\xa0mil.\xa0Kč" not in page


def test_a_renamed_responsible_person_shows_at_once(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    query = "?overdue_page=1"
    person = Person.objects.filter(plan=demo_plan, name="René Brož").get()
    before = _dashboard(coordinator, demo_plan, query)
    person.name = "René Brázda"
    person.save()
    after = _dashboard(coordinator, demo_plan, query)
    assert "René Brož" in before
    assert "René Brázda" in after
    assert "René Brož" not in after


def test_each_user_sees_their_own_name_and_others_keep_their_403(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    steering = _client(django_user_model, demo_plan, "dvorak", "steering")
    provider = _client(django_user_model, demo_plan, "svoboda", "provider")
    first = _dashboard(coordinator, demo_plan)
    second = _dashboard(steering, demo_plan)
    assert "(novakova)" in first
    assert "(dvorak)" not in first
    assert "(dvorak)" in second
    assert "(novakova)" not in second
    # Each page carries its own user's CSRF token in the log-out form, not a kept one.
    assert "csrfmiddlewaretoken" in second
    # The same figures for both roles allowed to read them.
    assert first.split("<main")[1].count("<tr") == second.split("<main")[1].count("<tr")
    url = reverse("monitoring:dashboard", args=[demo_plan.slug])
    assert provider.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login


def test_the_language_and_the_page_of_a_list_are_kept_apart(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    czech = _dashboard(coordinator, demo_plan)
    assert "Zásobník projektů podle stavu" in czech
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(django_user_model.objects.get(username="novakova"))
    page = _dashboard(english, demo_plan)
    assert "Project stack by status" in page
    assert "Project stack by status" not in czech
    second = _dashboard(coordinator, demo_plan, "?indicators_page=2")
    assert second != czech


def test_a_kept_body_costs_the_same_few_queries_whatever_the_plan_and_the_instance(
    django_user_model,
):
    small = synthetic_plans_generate(plans=1, scale=1, seed=41, measurements_per_sub=2)[0].plan
    counts = []
    for plan in (small, *[s.plan for s in synthetic_plans_generate(plans=3, scale=4, seed=42)]):
        plan_states_recompute(plan=plan)
        client = _client(django_user_model, plan, f"k{plan.pk}", "coordinator")
        _dashboard(client, plan)  # renders and keeps the body
        with CaptureQueriesContext(connection) as queries:
            _dashboard(client, plan)
        counts.append(len(queries))
        rows_read = [q["sql"] for q in queries.captured_queries if _reads_rows(q["sql"])]
        assert rows_read == []
    assert len(set(counts)) == 1
    # The session (which brings the data's versions) and the user: the page this reader was
    # given is served as it was while no plan and no account changed (core.data_versions).
    assert counts[0] == 2


def test_a_revoked_role_closes_the_kept_dashboard_at_once(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    steering = _client(django_user_model, demo_plan, "dvorak", "steering")
    _dashboard(coordinator, demo_plan)  # the body is kept for this plan version and role
    _dashboard(steering, demo_plan)
    PlanRole.objects.filter(user__username="dvorak").delete()
    url = reverse("monitoring:dashboard", args=[demo_plan.slug])
    assert steering.get(url).status_code == 403
    # A lesser role in the same plan (a data provider reads no dashboard) opens no kept page.
    dvorak = django_user_model.objects.get(username="dvorak")
    plan_role_grant(plan=demo_plan, user=dvorak, role="provider")
    assert steering.get(url).status_code == 403
    assert "(novakova)" in _dashboard(coordinator, demo_plan)


def _reads_rows(sql):
    """Whether a query reads the plan's registers or states (not the version row)."""
    tables = ("measurement", "subindicatorstate", "stackitem", "activity", "flagshipproject")
    return any(f'"{app}_{table}"' in sql for table in tables for app in _APPS)


_APPS = ("indicators", "monitoring", "stack", "projects")


def test_a_kept_page_costs_the_floor_s_two_queries_or_one_more(
    django_user_model, demo_plan, other_plan
):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    _dashboard(coordinator, demo_plan)  # renders and keeps the body and the page
    with CaptureQueriesContext(connection) as queries:
        page = _dashboard(coordinator, demo_plan)
    sql = [q["sql"] for q in queries.captured_queries]
    # The session (with the data's versions) and the user, as on every logged-in page.
    assert len(sql) == 2, sql
    assert sql[0].startswith('SELECT "session_data"')
    assert '"auth_user"' in sql[1]
    assert "(novakova)" in page
    # Another plan changed: this plan's page is still kept, found by one statement more
    # (the plan, its data's version and the user's roles). On PostgreSQL each is a round trip.
    # (As another transaction commits it: in this test's one transaction the plan, created
    # in it, is marked once already.)
    states_mark_stale(plan_id=other_plan.pk)
    with CaptureQueriesContext(connection) as queries:
        page = _dashboard(coordinator, demo_plan)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 3, sql
    assert all(table in sql[2] for table in ('"plans_plan"', '"access_planrole"'))
    assert '"monitoring_statesfreshness"' in sql[2]
    assert "(novakova)" in page


def _token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_kept_page_gets_a_fresh_csrf_token_that_logs_out(django_user_model, demo_plan):
    user = django_user_model.objects.create_user("novakova", password="heslo-novakova")
    plan_role_grant(plan=demo_plan, user=user, role="coordinator")
    client = Client(HTTP_ACCEPT_LANGUAGE="cs", enforce_csrf_checks=True)
    client.force_login(user)
    first, second = _dashboard(client, demo_plan), _dashboard(client, demo_plan)
    # Masked anew in each answer (as Django's {% csrf_token %} does), never a kept one.
    assert _token(first) != _token(second)
    assert _token(second) not in first
    assert first.replace(_token(first), "") == second.replace(_token(second), "")
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": _token(second)})
    assert response.status_code == 302
    url = reverse("monitoring:dashboard", args=[demo_plan.slug])
    assert client.get(url).status_code == 302  # logged out: to the login


def _message_cookie(text):
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies["messages"].value


def test_a_message_waiting_is_shown_once_on_a_kept_page(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    kept = _dashboard(coordinator, demo_plan)
    coordinator.cookies["messages"] = _message_cookie("Hodnota byla uložena.")
    shown = _dashboard(coordinator, demo_plan)
    assert "Hodnota byla uložena." in shown
    assert "Hodnota byla uložena." not in kept
    assert "Hodnota byla uložena." not in _dashboard(coordinator, demo_plan)


def test_the_frame_follows_the_user_s_name_and_the_plan_s_name(django_user_model, demo_plan):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    assert "(novakova)" in _dashboard(coordinator, demo_plan)
    django_user_model.objects.filter(username="novakova").update(username="novakova-dvorak")
    assert "(novakova-dvorak)" in _dashboard(coordinator, demo_plan)
    plan = Plan.objects.get(pk=demo_plan.pk)
    plan.name = "Akční plán po přejmenování"
    plan.save()
    page = _dashboard(coordinator, plan)
    assert "<title>Přehled – Akční plán po přejmenování" in page


def test_a_missing_plan_answers_404_and_a_plan_without_states_is_computed(
    django_user_model, demo_plan
):
    coordinator = _client(django_user_model, demo_plan, "novakova", "coordinator")
    url = reverse("monitoring:dashboard", args=["zadny-takovy-plan"])
    assert coordinator.get(url).status_code == 404
    StatesFreshness.objects.filter(plan=demo_plan).delete()
    assert "Zásobník projektů podle stavu" in _dashboard(coordinator, demo_plan)
    assert StatesFreshness.objects.filter(plan=demo_plan).exists()
