"""Reads of monitoring: thresholds, the roll-up tree, overdue values, the dashboard's lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from smartplan.indicators.models import SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.models import MonitoringSettings, RollUpState, SubIndicatorState
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


def plan_rollups(*, plan: Plan, levels: tuple[str, ...]) -> dict[str, list[RollUpState]]:
    """The stored roll-ups of ``plan`` for the given levels, in one query."""
    result: dict[str, list[RollUpState]] = {level: [] for level in levels}
    for row in RollUpState.objects.filter(plan=plan, level__in=levels).order_by("level", "order"):
        result[row.level].append(row)
    return result


def rollup_rows(*, plan: Plan, level: str) -> QuerySet[RollUpState]:
    """Roll-ups of one level (indicators, projects) in their order, for paging."""
    return RollUpState.objects.filter(plan=plan, level=level).order_by("order")


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


def money_per_project(*, plan: Plan, year: int) -> QuerySet[FlagshipProject]:
    """Projects with ``planned`` (upper estimates of the activities), ``spent_in_year`` and
    ``spent_total`` (Kč); subqueries keep the sums from multiplying each other."""
    planned = (
        Activity.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("cost_max"))
        .values("total")
    )

    def spent(**filters: Any) -> Subquery:
        return Subquery(
            ActivityFulfilment.objects.filter(activity__project=OuterRef("pk"), **filters)
            .order_by()
            .values("activity__project")
            .annotate(total=Sum("spent"))
            .values("total")
        )

    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    return (
        FlagshipProject.objects.filter(plan=plan)
        .annotate(
            planned=Coalesce(Subquery(planned), zero),
            spent_in_year=Coalesce(spent(year=year), zero),
            spent_total=Coalesce(spent(), zero),
        )
        .order_by("number")
    )


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
