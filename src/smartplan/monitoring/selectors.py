"""Reads of monitoring: thresholds, the roll-up tree, overdue values, the dashboard's lists."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from smartplan.indicators.models import Indicator, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.models import MonitoringSettings, SubIndicatorState
from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, ActivityFulfilment, FlagshipProject
from smartplan.stack.models import StackItem, StackStatus


def plan_thresholds(*, plan: Plan) -> rules.Thresholds:
    settings = MonitoringSettings.objects.filter(plan=plan).first()
    if settings is None:
        return rules.Thresholds()
    return rules.Thresholds(on_track=settings.on_track_ratio, at_risk=settings.at_risk_ratio)


def target_of(sub: SubIndicator) -> rules.Target:
    return rules.Target(
        kind=sub.kind,
        direction=sub.direction,
        baseline_value=sub.baseline_value,
        baseline_date=sub.baseline_date,
        target_value=sub.target_value,
        target_date=sub.target_date,
        target_is_relative=sub.target_is_relative,
        unit=sub.unit,
    )


def _assessment(state: SubIndicatorState) -> rules.Assessment:
    return rules.Assessment(
        status=state.status,
        explanation=state.explanation,
        value=state.value,
        value_date=state.value_date,
        progress=state.progress,
        expected=state.expected_progress,
    )


@dataclass
class Node:
    """One level of the roll-up: a label, its summary and what it summarises."""

    key: str
    label: str
    summary: rules.RollUp
    object_id: int | None = None
    children: list[Node] = field(default_factory=list)


@dataclass
class PlanMonitoring:
    plan: Node
    indicators: list[Node]
    by_project: list[Node]
    by_specific_goal: list[Node]
    by_strategic_goal: list[Node]
    by_area: list[Node]
    states: list[SubIndicatorState]


def plan_monitoring(*, plan: Plan) -> PlanMonitoring:
    """The stored states of ``plan`` rolled up to every level, in a fixed number of queries."""
    thresholds = plan_thresholds(plan=plan)
    states = list(
        SubIndicatorState.objects.filter(plan=plan)
        .select_related(
            "sub_indicator__indicator__project__area",
            "sub_indicator__indicator__specific_goal",
        )
        .order_by("sub_indicator__indicator__number", "sub_indicator__code")
    )
    goals_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for indicator_id, code, name in Indicator.strategic_goals.through.objects.filter(
        indicator__plan=plan
    ).values_list("indicator_id", "strategicgoal__code", "strategicgoal__name"):
        goals_of[indicator_id].append((str(code), f"{code} {name}"))

    members: dict[int, list[SubIndicatorState]] = defaultdict(list)
    for state in states:
        members[state.sub_indicator.indicator_id].append(state)

    # (indicator, its node, the groups it belongs to per dimension)
    entries: list[tuple[Indicator, Node]] = []
    for group_states in members.values():
        indicator = group_states[0].sub_indicator.indicator
        summary = rules.roll_up(
            ((_assessment(s), s.sub_indicator.weight) for s in group_states), thresholds
        )
        children = [
            Node(s.sub_indicator.code, str(s.sub_indicator), _as_rollup(s), s.sub_indicator_id)
            for s in group_states
        ]
        entries.append(
            (indicator, Node(str(indicator.number), str(indicator), summary, children=children))
        )

    def group(keys_of: Callable[[Indicator], list[tuple[str, str]]]) -> list[Node]:
        buckets: dict[str, tuple[str, list[tuple[Node, Decimal]]]] = {}
        for indicator, node in entries:
            for key, label in keys_of(indicator):
                buckets.setdefault(key, (label, []))[1].append((node, indicator.weight))
        return [
            Node(
                key,
                label,
                rules.roll_up(((n.summary, w) for n, w in grouped), thresholds),
                children=[n for n, _w in grouped],
            )
            for key, (label, grouped) in sorted(buckets.items(), key=lambda kv: _sort_key(kv[0]))
        ]

    def project_of(indicator: Indicator) -> list[tuple[str, str]]:
        project = indicator.project
        return [] if project is None else [(str(project.number), str(project))]

    def area_of(indicator: Indicator) -> list[tuple[str, str]]:
        project = indicator.project
        return [] if project is None else [(str(project.area.order), project.area.name)]

    def specific_goal_of(indicator: Indicator) -> list[tuple[str, str]]:
        goal = indicator.specific_goal
        return [] if goal is None else [(goal.code, str(goal))]

    indicator_nodes = [node for _indicator, node in entries]
    plan_summary = rules.roll_up(
        ((node.summary, indicator.weight) for indicator, node in entries), thresholds
    )
    return PlanMonitoring(
        plan=Node(plan.slug, str(plan), plan_summary, children=indicator_nodes),
        indicators=indicator_nodes,
        by_project=group(project_of),
        by_specific_goal=group(specific_goal_of),
        by_strategic_goal=group(lambda indicator: goals_of.get(indicator.pk, [])),
        by_area=group(area_of),
        states=states,
    )


def _sort_key(key: str) -> tuple[int, ...] | str:
    try:
        return tuple(int(part) for part in key.split("."))
    except ValueError:
        return key


def _as_rollup(state: SubIndicatorState) -> rules.RollUp:
    return rules.RollUp(
        status=state.status,
        progress=state.progress,
        expected=state.expected_progress,
        explanation=state.explanation,
    )


def overdue_states(*, plan: Plan, today: dt.date) -> QuerySet[SubIndicatorState]:
    """Sub-indicators whose next value was due before ``today``."""
    return (
        SubIndicatorState.objects.filter(plan=plan, next_due__lt=today)
        .select_related("sub_indicator__indicator__responsible_person")
        .order_by("next_due", "sub_indicator__code")
    )


def states_needing_attention(*, plan: Plan) -> QuerySet[SubIndicatorState]:
    return (
        SubIndicatorState.objects.filter(plan=plan, status__in=[rules.AT_RISK, rules.OFF_TRACK])
        .select_related("sub_indicator__indicator")
        .order_by("-status", "sub_indicator__code")
    )


def current_quarter(today: dt.date) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


def projects_without_update(*, plan: Plan, today: dt.date) -> QuerySet[FlagshipProject]:
    """Coordinated projects with no status report for the current year or quarter."""
    year, quarter = current_quarter(today)
    current = Q(status_reports__year=year) & (
        Q(status_reports__quarter=quarter) | Q(status_reports__quarter__isnull=True)
    )
    return (
        FlagshipProject.objects.filter(plan=plan, coordinated=True)
        .annotate(current_reports=Count("status_reports", filter=current))
        .filter(current_reports=0)
        .annotate(last_report=Max("status_reports__year"))
        .select_related("guarantor")
        .order_by("number")
    )


@dataclass(frozen=True)
class ProjectMoney:
    project: FlagshipProject
    planned: Decimal
    spent_in_year: Decimal
    spent_total: Decimal

    @property
    def share(self) -> Decimal | None:
        return self.spent_total / self.planned if self.planned else None


def money_per_project(*, plan: Plan, year: int) -> list[ProjectMoney]:
    """Planned cost (upper estimates of the activities) against money spent, per project."""
    planned = dict(
        Activity.objects.filter(plan=plan)
        .values("project_id")
        .annotate(total=Sum("cost_max"), low=Sum("cost_min"))
        .values_list("project_id", "total")
    )
    spent: defaultdict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for project_id, fulfil_year, amount in ActivityFulfilment.objects.filter(plan=plan).values_list(
        "activity__project_id", "year", "spent"
    ):
        spent[project_id][1] += amount
        if fulfil_year == year:
            spent[project_id][0] += amount
    return [
        ProjectMoney(
            project=project,
            planned=planned.get(project.pk) or Decimal(0),
            spent_in_year=spent[project.pk][0],
            spent_total=spent[project.pk][1],
        )
        for project in FlagshipProject.objects.filter(plan=plan).order_by("number")
    ]


@dataclass(frozen=True)
class StackState:
    status: int
    label: str
    items: int
    finance_mil: Decimal


def stack_by_state(*, plan: Plan) -> list[StackState]:
    rows = {
        row["status"]: row
        for row in StackItem.objects.filter(plan=plan)
        .values("status")
        .annotate(items=Count("pk"), finance=Sum("finance_mil"))
        .order_by()
    }
    return [
        StackState(
            status=status.value,
            label=str(status.label),
            items=rows.get(status.value, {}).get("items", 0),
            finance_mil=rows.get(status.value, {}).get("finance") or Decimal(0),
        )
        for status in StackStatus
    ]
