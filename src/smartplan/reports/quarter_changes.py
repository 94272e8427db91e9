"""What changed within a period, read from the registers' history (django-simple-history).

- stack items: the status at the end of the day before the period and at the end of its
  last day (from → to), and the items that came into being within the period;
- money: each activity's yearly fulfilment at those two moments; what was spent within
  the period is the difference (a fulfilment that did not exist yet counts as 0).

A row whose history does not reach back before the period (it was loaded before history
was kept) counts as unknown there: a status change needs both ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.stack.models import StackItem, StackStatus


@dataclass(frozen=True)
class StatusChange:
    item: StackItem
    before: int  # the status at the start of the period
    after: int  # … and at its end

    @property
    def before_label(self) -> str:
        return str(StackStatus(self.before).label)

    @property
    def after_label(self) -> str:
        return str(StackStatus(self.after).label)


@dataclass(frozen=True)
class SpentInPeriod:
    activity: Activity
    year: int
    before: Decimal  # the year's money spent at the start of the period
    after: Decimal  # … and at its end

    @property
    def spent(self) -> Decimal:
        return self.after - self.before


def _moment(day: dt.date) -> dt.datetime:
    """The end of ``day``: the first moment of the next day, in the instance's time zone."""
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def _states(
    records: Iterable[Any], start: dt.datetime, end: dt.datetime
) -> tuple[dict[int, Any], dict[int, Any]]:
    """Each row's last record before ``start`` and before ``end`` (None: deleted)."""
    before: dict[int, Any] = {}
    after: dict[int, Any] = {}
    for record in records:  # oldest first
        state = None if record["history_type"] == "-" else record
        if record["history_date"] < start:
            before[record["id"]] = state
        after[record["id"]] = state
    return before, after


def stack_changes(
    *, plan: Plan, start: dt.date, end: dt.date
) -> tuple[list[StackItem], list[StatusChange]]:
    """The stack items created within ``start``–``end`` and the status changes (from → to)."""
    first, last = _moment(start - dt.timedelta(days=1)), _moment(end)
    records = (
        StackItem.history.filter(plan_id=plan.pk, history_date__lt=last)
        .order_by("history_date", "history_id")
        .values("id", "status", "history_date", "history_type")
    )
    before, after = _states(records, first, last)
    created_ids = {pk for pk, state in after.items() if state is not None and pk not in before}
    changed = {
        pk: (before[pk]["status"], state["status"])
        for pk, state in after.items()
        if state is not None
        and before.get(pk) is not None
        and before[pk]["status"] != state["status"]
    }
    items = (
        StackItem.objects.filter(pk__in=created_ids | set(changed))
        .select_related("area", "flagship")
        .order_by("number")
    )
    created = [item for item in items if item.pk in created_ids]
    changes = [StatusChange(item, *changed[item.pk]) for item in items if item.pk in changed]
    return created, changes


def money_spent(*, plan: Plan, start: dt.date, end: dt.date) -> list[SpentInPeriod]:
    """Per activity and year, the money spent within ``start``–``end``: the change of the
    yearly fulfilment between the period's first and last day."""
    first, last = _moment(start - dt.timedelta(days=1)), _moment(end)
    records = (
        ActivityFulfilment.history.filter(plan_id=plan.pk, history_date__lt=last)
        .order_by("history_date", "history_id")
        .values("id", "activity_id", "year", "spent", "history_date", "history_type")
    )
    before, after = _states(records, first, last)
    totals: dict[tuple[int, int], list[Decimal]] = {}
    for states, index in ((before, 0), (after, 1)):
        for state in states.values():
            if state is not None:
                key = (state["activity_id"], state["year"])
                totals.setdefault(key, [Decimal(0), Decimal(0)])[index] += state["spent"]
    moved = {key: pair for key, pair in totals.items() if pair[0] != pair[1]}
    projects = {
        a.pk: a
        for a in Activity.objects.filter(
            pk__in={activity_id for activity_id, _year in moved}
        ).select_related("project")
    }
    rows = [
        SpentInPeriod(projects[activity_id], year, pair[0], pair[1])
        for (activity_id, year), pair in moved.items()
        if activity_id in projects
    ]
    rows.sort(key=lambda r: (r.activity.project.number, r.activity.number, r.year))
    return rows
