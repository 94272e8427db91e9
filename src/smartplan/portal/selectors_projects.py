"""The public pages of flagship projects: the list and one project's card, in bounded queries.

Money is :func:`smartplan.projects.selectors.plan_money` (the dashboard's and the reports'
figure) and :func:`~smartplan.projects.selectors.project_spent_by_year`; statuses are the
stored monitoring states the dashboard shows (:mod:`smartplan.monitoring`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from smartplan.indicators.models import Indicator, SubIndicator
from smartplan.monitoring.current_states import plan_states_current
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.plans.models import Plan
from smartplan.portal.charts import HistoryChart, sub_indicator_chart
from smartplan.portal.selectors_indicators import sub_indicator_histories
from smartplan.projects.models import (
    Activity,
    ActivityFulfilment,
    FlagshipProject,
    ProjectStatusReport,
)
from smartplan.projects.money import MoneyRange
from smartplan.projects.selectors import (
    PlanMoney,
    ProjectMoney,
    activity_planned,
    plan_money,
    project_spent_by_year,
)


@dataclass(frozen=True)
class ProjectRow:
    project: FlagshipProject
    money: ProjectMoney
    state: RollUpState | None


@dataclass(frozen=True)
class ProjectList:
    """The plan's projects (a lazy queryset, to be paged) and the money of them all."""

    projects: QuerySet[FlagshipProject]
    money: PlanMoney


def project_list(*, plan: Plan, year: int) -> ProjectList:
    """The flagship projects of ``plan`` by number, not read yet, and the money of every
    project with the plan's totals, spent in ``year`` and in total (3 aggregate queries, and
    one that makes the stored monitoring states current)."""
    plan_states_current(plan=plan)
    projects = (
        FlagshipProject.objects.filter(plan=plan)
        .select_related("area", "guarantor", "implementer")
        .order_by("number")
    )
    return ProjectList(projects=projects, money=plan_money(plan=plan, year=year))


def project_rows(
    *, plan: Plan, projects: Iterable[FlagshipProject], money: PlanMoney
) -> list[ProjectRow]:
    """``projects`` (one page of :func:`project_list`) with their money and stored monitoring
    state: one query for the states of these projects only."""
    shown = list(projects)
    states = {
        state.object_id: state
        for state in RollUpState.objects.filter(
            plan=plan, level=RollUpState.Level.PROJECT, object_id__in=[p.pk for p in shown]
        )
    }
    return [ProjectRow(p, money.of(p.pk), states.get(p.pk)) for p in shown]


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    planned: MoneyRange
    years: list[int]  # the calendar years the activity is timed in (empty when unknown)
    fulfilments: dict[int, ActivityFulfilment]  # by calendar year

    def spent_in(self, year: int) -> Decimal | None:
        found = self.fulfilments.get(year)
        return None if found is None else found.spent


@dataclass(frozen=True)
class SubIndicatorRow:
    sub: SubIndicator
    state: SubIndicatorState | None
    chart: HistoryChart  # the history as an SVG chart with its data table


@dataclass(frozen=True)
class IndicatorBlock:
    indicator: Indicator
    state: RollUpState | None
    subs: list[SubIndicatorRow]


@dataclass(frozen=True)
class ProjectCard:
    project: FlagshipProject
    status: ProjectStatusReport | None  # the latest status report
    state: RollUpState | None
    money: ProjectMoney
    activities: list[ActivityRow]
    years: list[int]  # the plan's calendar years plus any year with money spent
    spent_by_year: dict[int, Decimal]
    indicators: list[IndicatorBlock] = field(default_factory=list)

    @property
    def outputs(self) -> list[tuple[str, int, str]]:
        """What the activities achieved: (activity label, year, outputs), by activity."""
        return [
            (row.activity.label, year, fulfilment.outputs)
            for row in self.activities
            for year, fulfilment in sorted(row.fulfilments.items())
            if fulfilment.outputs
        ]


def _calendar_years(plan: Plan, activity: Activity) -> list[int]:
    """An activity's timing in plan years (1 = the plan's first year) as calendar years."""
    if activity.timing_from is None:
        return []
    last = activity.timing_to or activity.timing_from
    return [plan.period_from + year - 1 for year in range(activity.timing_from, last + 1)]


def project_card(*, plan: Plan, number: str, today: dt.date) -> ProjectCard:
    """The card of project ``number`` of ``plan`` (404 when there is none), with its
    activities, money per year and indicators, in a fixed number of queries."""
    if not number.isdigit():
        raise Http404(_("No flagship project has this number."))
    project = (
        FlagshipProject.objects.filter(plan=plan, number=int(number))
        .select_related(
            "area",
            "guarantor",
            "implementer",
            "implementer_department",
            "council_member",
        )
        .prefetch_related(
            "strategic_goals",
            "funding_sources",
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("number", "part").prefetch_related(
                    "fulfilments"
                ),
                to_attr="ordered_activities",
            ),
        )
        .first()
    )
    if project is None:
        raise Http404(_("No flagship project has this number."))
    plan_states_current(plan=plan)
    status = (
        ProjectStatusReport.objects.filter(project=project).order_by("-year", "-quarter").first()
    )
    money = plan_money(plan=plan, year=today.year).of(project.pk)
    spent_by_year = project_spent_by_year(project=project)
    activities = [
        ActivityRow(
            activity=activity,
            planned=activity_planned(activity),
            years=_calendar_years(plan, activity),
            fulfilments={f.year: f for f in activity.fulfilments.all()},
        )
        for activity in project.ordered_activities
    ]
    years = sorted(set(plan.years) | set(spent_by_year))
    states = {
        (state.level, state.object_id): state
        for state in RollUpState.objects.filter(
            plan=plan, level__in=[RollUpState.Level.PROJECT, RollUpState.Level.INDICATOR]
        )
    }
    return ProjectCard(
        project=project,
        status=status,
        state=states.get((RollUpState.Level.PROJECT, project.pk)),
        money=money,
        activities=activities,
        years=years,
        spent_by_year=spent_by_year,
        indicators=_indicator_blocks(project, states),
    )


def _indicator_blocks(
    project: FlagshipProject, states: dict[tuple[str, int | None], RollUpState]
) -> list[IndicatorBlock]:
    """The project's indicators with their sub-indicators' stored states and history charts
    (the indicator pages' charts, :mod:`smartplan.portal.charts`)."""
    indicators = list(
        Indicator.objects.filter(project=project)
        .prefetch_related(
            Prefetch("sub_indicators", queryset=SubIndicator.objects.order_by("code"))
        )
        .order_by("number")
    )
    subs = [sub for indicator in indicators for sub in indicator.sub_indicators.all()]
    sub_states = {
        state.sub_indicator_id: state
        for state in SubIndicatorState.objects.filter(sub_indicator__in=[s.pk for s in subs])
    }
    histories = sub_indicator_histories(subs=subs)
    return [
        IndicatorBlock(
            indicator=indicator,
            state=states.get((RollUpState.Level.INDICATOR, indicator.pk)),
            subs=[
                SubIndicatorRow(
                    sub, sub_states.get(sub.pk), sub_indicator_chart(sub, histories.get(sub.pk, []))
                )
                for sub in indicator.sub_indicators.all()
            ],
        )
        for indicator in indicators
    ]
