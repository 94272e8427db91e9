"""Reads of flagship projects: the money planned and spent per project and for the plan.

This is the only place where planned and spent money is added up; the monitoring
dashboard, the annual and quarterly reports and the admin read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, ActivityFulfilment, FlagshipProject
from smartplan.projects.money import (
    MoneyRange,
    estimate_range,
    planned_high_sql,
    planned_low_sql,
    range_sum,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class ProjectMoney:
    """Money of one project (Kč): planned (a range), spent in ``year`` and spent in total."""

    project_id: int
    number: int
    name: str
    planned: MoneyRange
    spent_in_year: Decimal
    spent_total: Decimal

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"  # as FlagshipProject names itself


@dataclass(frozen=True)
class PlanMoney:
    """Money of every project of a plan (in project order) and of the plan as a whole."""

    year: int
    projects: list[ProjectMoney]
    planned: MoneyRange
    spent_in_year: Decimal
    spent_total: Decimal
    _by_id: dict[int, ProjectMoney] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {row.project_id: row for row in self.projects})

    def of(self, project_id: int) -> ProjectMoney:
        """The money of one project of the plan."""
        return self._by_id[project_id]


def activity_planned(activity: Activity) -> MoneyRange:
    """The planned money of one activity (the range rule of :mod:`projects.money`)."""
    return estimate_range(activity.cost_min, activity.cost_max)


def plan_money(*, plan: Plan, year: int) -> PlanMoney:
    """Planned and spent money of every project of ``plan`` and their totals, in 3 queries.

    ``spent_in_year`` is what the activities' fulfilments of ``year`` record; ``spent_total``
    all years together.
    """
    planned = {
        row["project_id"]: MoneyRange(row["low"] or ZERO, row["high"] or ZERO)
        for row in Activity.objects.filter(plan=plan)
        .values("project_id")
        .annotate(low=Sum(planned_low_sql()), high=Sum(planned_high_sql()))
        .order_by()
    }
    spent = {
        row["activity__project_id"]: row
        for row in ActivityFulfilment.objects.filter(plan=plan)
        .values("activity__project_id")
        .annotate(in_year=Sum("spent", filter=Q(year=year)), total=Sum("spent"))
        .order_by()
    }
    rows = [
        ProjectMoney(
            project_id=pk,
            number=number,
            name=name,
            planned=planned.get(pk, MoneyRange()),
            spent_in_year=spent.get(pk, {}).get("in_year") or ZERO,
            spent_total=spent.get(pk, {}).get("total") or ZERO,
        )
        for pk, number, name in FlagshipProject.objects.filter(plan=plan)
        .order_by("number")
        .values_list("pk", "number", "name")
    ]
    return PlanMoney(
        year=year,
        projects=rows,
        planned=range_sum(row.planned for row in rows),
        spent_in_year=sum((row.spent_in_year for row in rows), ZERO),
        spent_total=sum((row.spent_total for row in rows), ZERO),
    )


def project_spent_by_year(*, project: FlagshipProject) -> dict[int, Decimal]:
    """Money spent on ``project`` per calendar year (its activities' fulfilments), in one
    query; the years add up to :func:`plan_money`'s ``spent_total`` of the project."""
    return {
        row["year"]: row["spent"] or ZERO
        for row in ActivityFulfilment.objects.filter(activity__project=project)
        .values("year")
        .annotate(spent=Sum("spent"))
        .order_by("year")
    }
