"""Reads of the project stack."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from smartplan.stack.models import StackItem


@dataclass(frozen=True)
class StackTotals:
    items: int
    finance_mil: Decimal


def stack_totals(*, queryset: QuerySet[StackItem]) -> StackTotals:
    """Count and money (mil. Kč) of the given stack rows, in one query."""
    result = queryset.order_by().aggregate(items=Count("pk"), finance=Sum("finance_mil"))
    return StackTotals(items=result["items"], finance_mil=result["finance"] or Decimal(0))
