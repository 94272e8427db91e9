"""The public project stack: its rows filtered, searched and sorted, in bounded queries.

The totals of a filtered stack are :func:`smartplan.stack.selectors.stack_totals` over the
same rows, the one place where stack items are counted and their money added up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OrderBy, QuerySet

from smartplan.plans.models import Area, Plan
from smartplan.portal.accent_fold import folded_search
from smartplan.projects.models import FlagshipProject
from smartplan.stack.models import StackItem

# Sort keys offered to the public: the key in the address -> the ordering (ties by number).
STACK_SORTS: dict[str, tuple[str, ...]] = {
    "number": ("number",),
    "-number": ("-number",),
    "name": ("name", "number"),
    "-name": ("-name", "number"),
    "status": ("status", "number"),
    "-status": ("-status", "number"),
    "finance": ("finance_mil", "number"),
    "-finance": ("-finance_mil", "number"),
    "area": ("area__order", "area__name", "number"),
}
STACK_SEARCH_FIELDS = ["name", "description", "note", "area_label"]


@dataclass(frozen=True)
class StackFilter:
    """What a visitor asked for; ``None`` / blank means "any"."""

    area: Area | None = None
    status: int | None = None
    flagship: FlagshipProject | None = None
    query: str = ""
    sort: str = "number"


def stack_rows(*, plan: Plan, wanted: StackFilter) -> QuerySet[StackItem]:
    """The stack items of ``plan`` that match ``wanted``, sorted; one query when read."""
    rows = StackItem.objects.filter(plan=plan)
    if wanted.area is not None:
        rows = rows.filter(area=wanted.area)
    if wanted.status is not None:
        rows = rows.filter(status=wanted.status)
    if wanted.flagship is not None:
        rows = rows.filter(flagship=wanted.flagship)
    rows = folded_search(rows, fields=STACK_SEARCH_FIELDS, query=wanted.query)
    order_by = [_order(key) for key in STACK_SORTS.get(wanted.sort, STACK_SORTS["number"])]
    return rows.select_related("area", "guarantor", "flagship").order_by(*order_by)


def _order(key: str) -> str | OrderBy:
    """Items without an amount go last whichever way money is sorted."""
    name = key.lstrip("-")
    if name != "finance_mil":
        return key
    return F(name).desc(nulls_last=True) if key.startswith("-") else F(name).asc(nulls_last=True)
