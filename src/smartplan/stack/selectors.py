"""Reads of the project stack: the totals by status, by area and over any set of rows.

The only place where stack items are counted and their money (mil. Kč) added up; the
monitoring dashboard, the annual report and the admin list read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem, StackStatus


@dataclass(frozen=True)
class StackTotals:
    items: int
    finance_mil: Decimal


@dataclass(frozen=True)
class StackGroup:
    """The stack items of one status or one area: their number and money (mil. Kč)."""

    key: int  # the status value (1–4) or the area's id
    label: str
    items: int
    finance_mil: Decimal


def stack_totals(*, queryset: QuerySet[StackItem]) -> StackTotals:
    """Count and money (mil. Kč) of the given stack rows, in one query."""
    result = queryset.order_by().aggregate(items=Count("pk"), finance=Sum("finance_mil"))
    return StackTotals(items=result["items"], finance_mil=result["finance"] or Decimal(0))


def stack_plan_total(*, plan: Plan) -> StackTotals:
    """The whole stack of ``plan``: every item, whatever its status or year."""
    return stack_totals(queryset=StackItem.objects.filter(plan=plan))


def stack_by_status(*, plan: Plan) -> list[StackGroup]:
    """Items and money per status, every status 1–4 listed (0 when empty), in one query."""
    rows = {
        row["status"]: row
        for row in StackItem.objects.filter(plan=plan)
        .values("status")
        .annotate(items=Count("pk"), finance=Sum("finance_mil"))
        .order_by()
    }
    return [
        StackGroup(
            key=int(status.value),
            label=str(status.label),
            items=rows.get(status.value, {}).get("items", 0),
            finance_mil=rows.get(status.value, {}).get("finance") or Decimal(0),
        )
        for status in StackStatus
    ]


def stack_by_area(*, plan: Plan) -> list[StackGroup]:
    """Items and money per area that has items, in the areas' order, in one query."""
    return [
        StackGroup(
            key=row["area_id"],
            label=row["area__name"],
            items=row["items"],
            finance_mil=row["finance"] or Decimal(0),
        )
        for row in StackItem.objects.filter(plan=plan)
        .values("area_id", "area__name", "area__order")
        .annotate(items=Count("pk"), finance=Sum("finance_mil"))
        .order_by("area__order", "area__name")
    ]
