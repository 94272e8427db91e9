"""Reads of stored states recompute a stale plan first, at the cost of one query otherwise."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.access.services import plan_role_grant
from smartplan.indicators.models import SubIndicator
from smartplan.monitoring.current_states import plan_states_current, plans_states_current
from smartplan.monitoring.freshness import plan_states_are_current, states_mark_stale
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.reminders import reminders_send
from smartplan.monitoring.services import plan_states_recompute
from smartplan.organisations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def tvrznik(demo_plan, django_user_model):
    """Pavel Tvrzník, responsible for indicators 7, 8 and 9 of the demo plan."""
    user = django_user_model.objects.create_user("tvrznik", password="heslo-tvrznik")
    Person.objects.filter(plan=demo_plan, name="Pavel Tvrzník").update(user=user)
    # He enters the values of his indicators as their data provider.
    plan_role_grant(
        plan=demo_plan,
        user=user,
        role="provider",
        sub_indicators=SubIndicator.objects.filter(
            plan=demo_plan, indicator__responsible_person__user=user
        ),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def _lose_the_states(plan):
    """What a process killed after its commit leaves: registers, no states, marked stale."""
    SubIndicatorState.objects.filter(plan=plan).delete()
    RollUpState.objects.filter(plan=plan).delete()
    states_mark_stale(plan_id=plan.pk)


def test_the_dashboard_recomputes_stale_states_before_showing_them(coordinator_client, demo_plan):
    plan_states_recompute(plan=demo_plan)
    _lose_the_states(demo_plan)
    page = coordinator_client.get(reverse("monitoring:dashboard", args=[demo_plan.slug]))
    text = page.content.decode()
    assert "Zatím nespočteno" not in text
    assert "0 hodnot je po termínu" not in text
    assert SubIndicatorState.objects.filter(plan=demo_plan).count() == 12
    assert plan_states_are_current(plan=demo_plan)


def test_reading_current_states_costs_one_query(demo_plan):
    plan_states_recompute(plan=demo_plan)
    with CaptureQueriesContext(connection) as queries:
        assert plan_states_current(plan=demo_plan) is False
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert plans_states_current() == 0
    assert len(queries) == 1


def test_the_dashboard_pays_no_query_for_the_check(coordinator_client, demo_plan):
    """The states' currency is part of the one query that reads the plan's version for the
    kept dashboard body (monitoring/dashboard_cache.py), so the check costs nothing more."""
    plan_states_recompute(plan=demo_plan)
    url = reverse("monitoring:dashboard", args=[demo_plan.slug])
    coordinator_client.get(url)  # sessions and caches warm
    with CaptureQueriesContext(connection) as checked:
        coordinator_client.get(url)
    with (
        mock.patch("smartplan.monitoring.views.plan_states_current"),
        CaptureQueriesContext(connection) as unchecked,
    ):
        coordinator_client.get(url)
    assert len(checked) == len(unchecked)


def test_my_indicators_recompute_the_stale_plans_of_the_person(tvrznik, demo_plan):
    plan_states_recompute(plan=demo_plan)
    _lose_the_states(demo_plan)
    page = tvrznik.get(reverse("monitoring:mine")).content.decode()
    assert "8.1 Počet otevřených datových sad" in page
    assert plan_states_are_current(plan=demo_plan)


def test_reminders_use_recomputed_due_dates(demo_plan):
    _lose_the_states(demo_plan)
    run = reminders_send(today=dt.date(2026, 12, 1))
    assert plan_states_are_current(plan=demo_plan)
    assert run.sent + run.without_recipient > 0


def test_the_report_worker_recomputes_stale_plans_between_jobs(demo_plan):
    _lose_the_states(demo_plan)
    with mock.patch("smartplan.reports.management.commands.report_worker.close_old_connections"):
        call_command("report_worker", "--once", stdout=io.StringIO())
    assert plan_states_are_current(plan=demo_plan)
    assert SubIndicatorState.objects.filter(plan=demo_plan).count() == 12


def test_a_failed_recompute_on_a_read_shows_the_stored_states(demo_plan, caplog):
    _lose_the_states(demo_plan)
    with mock.patch(
        "smartplan.monitoring.current_states.plan_states_recompute", side_effect=RuntimeError
    ):
        assert plan_states_current(plan=demo_plan) is False
    assert "Recomputing the stale states" in caplog.text
    assert not plan_states_are_current(plan=demo_plan)  # the next read tries again
