"""One truth: the dashboard, the annual report and the quarterly report give the same figures.

Every figure of a plan is read three ways for the same as-of date (the last day of a year,
which ends both the annual report's period and the 4th quarter's):

* the dashboard: the page's context (stored states and roll-ups written by the recompute,
  money and stack rows) with "today" set to the date;
* the annual report's data and the quarterly report's data (``report_data``).

They must agree on every sub-indicator's value, progress, expected progress, status and
next due date, on every roll-up, on planned and spent money per project and for the plan,
and on the stack's totals by status, by area and in all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from smartplan.core.czech_format import money_range
from smartplan.demo.synthetic import synthetic_measurements_add, synthetic_plans_generate
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, FlagshipProject
from smartplan.projects.money import MoneyRange
from smartplan.reports.report_data import ReportData, report_data
from smartplan.reports.services import report_get_or_create

pytestmark = pytest.mark.django_db

Figures = dict[str, Any]


def _dashboard(client: Any, plan: Plan, as_of: dt.date, monkeypatch: Any) -> Figures:
    """The figures as the coordinator's dashboard shows them on ``as_of``."""
    plan_states_recompute(plan=plan, as_of=as_of)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: as_of)
    response = client.get(reverse("monitoring:dashboard", args=[plan.slug]))
    assert response.status_code == 200
    context = response.context
    page = response.content.decode()
    money = context["money"].paginator.object_list
    # The page shows what the context holds (the plan's total money, the stack's total).
    assert money_range(context["money_total"].planned) in page
    subs = {
        state.sub_indicator.code: (
            state.value,
            state.value_date,
            state.progress,
            state.expected_progress,
            state.status,
            state.next_due,
        )
        for state in SubIndicatorState.objects.filter(plan=plan).select_related("sub_indicator")
    }
    # What the dashboard reads the states through: overdue and needing attention.
    overdue = [s.sub_indicator.code for s in context["overdue"].paginator.object_list]
    attention = {s.sub_indicator.code for s in context["attention"].paginator.object_list}
    rollups = {
        (row.level, row.key): (row.status, row.progress, row.expected_progress, row.counts)
        for row in RollUpState.objects.filter(plan=plan)
    }
    shown = [context["plan_rollup"], *context["strategic_goals"], *context["specific_goals"]]
    shown += [*context["areas"], *context["indicators"].paginator.object_list]
    shown += list(context["projects"].paginator.object_list)
    assert {(row.level, row.key) for row in shown} == set(rollups)
    return {
        "subs": subs,
        "overdue": overdue,
        "attention": attention,
        "rollups": rollups,
        "indicator_rollups": {
            key: value[:3] for (level, key), value in rollups.items() if level == "indicator"
        },
        "money": {row.number: (row.planned, row.spent_in_year, row.spent_total) for row in money},
        "money_total": (
            context["money_total"].planned,
            context["money_total"].spent_in_year,
            context["money_total"].spent_total,
        ),
        "stack_by_status": [(row.items, row.finance_mil) for row in context["stack"]],
        "stack_by_area": [
            (row.label, row.items, row.finance_mil) for row in context["stack_areas"]
        ],
        "stack_total": (context["stack_total"].items, context["stack_total"].finance_mil),
    }


def _report(plan: Plan, as_of: dt.date, kind: str) -> Figures:
    """The figures as the annual or the quarterly report's data hold them."""
    assert (as_of.month, as_of.day) == (12, 31)
    quarter = 4 if kind == "quarterly" else None
    report = report_get_or_create(plan=plan, kind=kind, year=as_of.year, quarter=quarter)
    data: ReportData = report_data(report=report)
    assert data.period_end == as_of
    cards = {result.sub.code: result for card in data.indicators for result in card.subs}
    due = {figure.sub.code: figure.next_due for figure in data.figures.subs}
    overdue = [figure.sub.code for figure in data.figures.overdue()]
    if kind == "quarterly":
        assert [sub.code for sub, _due in data.overdue] == overdue
    return {
        "subs": {
            code: (
                r.assessment.value,
                r.assessment.value_date,
                r.assessment.progress,
                r.assessment.expected,
                r.assessment.status,
                due[code],
            )
            for code, r in cards.items()
        },
        "overdue": overdue,
        "attention": {
            code
            for code, r in cards.items()
            if r.assessment.status in (rules.AT_RISK, rules.OFF_TRACK)
        },
        "rollups": {
            (row.level, row.key): (
                row.summary.status,
                row.summary.progress,
                row.summary.expected,
                row.summary.counts,
            )
            for row in data.figures.rollups
        },
        "indicator_rollups": {
            str(card.indicator.number): (
                card.summary.status,
                card.summary.progress,
                card.summary.expected,
            )
            for card in data.indicators
            if card.subs
        },
        "money": {
            card.project.number: (
                card.planned,
                card.spent_in_year,
                data.money.of(card.project.pk).spent_total,
            )
            for card in data.projects
        },
        "money_total": (data.money.planned, data.money.spent_in_year, data.money.spent_total),
        "stack_by_status": [(n, money) for _label, n, money in data.stack_by_status],
        "stack_by_area": list(data.stack_by_area),
        "stack_total": (data.stack_grand_total.items, data.stack_grand_total.finance_mil),
    }


def _assert_one_truth(client: Any, plan: Plan, as_of: dt.date, monkeypatch: Any) -> Figures:
    dashboard = _dashboard(client, plan, as_of, monkeypatch)
    annual = _report(plan, as_of, "annual")
    quarterly = _report(plan, as_of, "quarterly")
    for name, figures in dashboard.items():
        assert annual[name] == figures, f"dashboard and annual report differ in {name}"
        assert quarterly[name] == figures, f"dashboard and quarterly report differ in {name}"
    # The totals add up across their parts, whichever reader is asked.
    assert sum(n for n, _money in dashboard["stack_by_status"]) == dashboard["stack_total"][0]
    assert sum(n for _area, n, _money in dashboard["stack_by_area"]) == dashboard["stack_total"][0]
    planned = [money[0] for money in dashboard["money"].values()]
    assert sum(p.low for p in planned) == dashboard["money_total"][0].low
    return dashboard


def _never_measured(plan: Plan, *, within_a_year: bool = False) -> str:
    """Remove every value of one measured sub-indicator with a known frequency, so that it
    is overdue a period after its baseline date."""
    frequencies = ["monthly", "quarterly", "yearly"]
    if not within_a_year:
        frequencies.append("every_3_years")
    sub = (
        SubIndicator.objects.filter(
            plan=plan, source=SubIndicator.Source.MEASURED, indicator__frequency__in=frequencies
        )
        .order_by("code")
        .first()
    )
    assert sub is not None
    Measurement.objects.filter(sub_indicator=sub).delete()
    return sub.code


def _lone_estimates(plan: Plan) -> FlagshipProject:
    """A project whose activities have only a lower, only an upper, or both estimates."""
    project = FlagshipProject.objects.filter(plan=plan).order_by("number").first()
    assert project is not None
    Activity.objects.filter(project=project).delete()
    for number, low, high in ((1, "500000", None), (2, None, "300000"), (3, "100000", "200000")):
        Activity.objects.create(
            plan=plan,
            project=project,
            number=number,
            description=f"Aktivita s odhadem {low}–{high}",
            cost_min=None if low is None else Decimal(low),
            cost_max=None if high is None else Decimal(high),
        )
    return project


def test_demo_plan_has_one_truth(coordinator_client, demo_plan, monkeypatch):
    # The fixture has no measured values yet; add some so the statuses differ.
    synthetic_measurements_add(plan=demo_plan, total=120, seed=7)
    late = _never_measured(demo_plan)
    project = _lone_estimates(demo_plan)
    # The demo's indicators are measured every 3 years: a year after the plan's period, the
    # sub-indicator without values is late.
    as_of = dt.date(demo_plan.period_to + 1, 12, 31)
    figures = _assert_one_truth(coordinator_client, demo_plan, as_of, monkeypatch)
    # 500 000 (only "from") + 300 000 (only "to") + 100 000–200 000: a range, not 0.
    expected = MoneyRange(Decimal("900000"), Decimal("1000000"))
    assert figures["money"][project.number][0] == expected
    assert len({status for *_rest, status, _due in figures["subs"].values()}) >= 2
    assert figures["overdue"] == [late]
    assert figures["stack_total"] == (53, Decimal("928.6"))
    assert figures["stack_by_status"][0] == (15, Decimal(772))


def test_generated_plan_has_one_truth(coordinator_client, monkeypatch):
    plan = synthetic_plans_generate(plans=1, scale=1, seed=91, measurements_per_sub=3)[0].plan
    synthetic_measurements_add(plan=plan, total=200, seed=92)
    late = _never_measured(plan, within_a_year=True)
    project = _lone_estimates(plan)
    as_of = dt.date(plan.period_from + 1, 12, 31)
    figures = _assert_one_truth(coordinator_client, plan, as_of, monkeypatch)
    assert figures["money"][project.number][0] == MoneyRange(Decimal("900000"), Decimal("1000000"))
    statuses = {status for *_rest, status, _due in figures["subs"].values()}
    assert late in figures["overdue"]
    assert len(statuses) >= 3, statuses
    assert figures["stack_total"][0] > 0


def test_a_lone_lower_estimate_is_planned_money_on_the_dashboard_and_in_reports(
    coordinator_client, demo_plan, monkeypatch
):
    """The issue's case: an activity with only a lower estimate was 0 on the dashboard and
    500 000 Kč in the annual report."""
    project = FlagshipProject.objects.filter(plan=demo_plan).order_by("number").first()
    Activity.objects.filter(project=project).delete()
    Activity.objects.create(
        plan=demo_plan,
        project=project,
        number=1,
        description="Jen dolní odhad",
        cost_min=Decimal("500000"),
    )
    as_of = dt.date(2020, 12, 31)
    dashboard = _dashboard(coordinator_client, demo_plan, as_of, monkeypatch)
    annual = _report(demo_plan, as_of, "annual")
    assert dashboard["money"][project.number][0] == MoneyRange(Decimal(500000), Decimal(500000))
    assert annual["money"][project.number][0] == dashboard["money"][project.number][0]
    page = coordinator_client.get(reverse("monitoring:dashboard", args=[demo_plan.slug]))
    assert "500\xa0000\xa0Kč" in page.content.decode()
