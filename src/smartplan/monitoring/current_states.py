"""Stored states as read: recomputed first when a change has not reached them yet.

Everything that reads ``SubIndicatorState`` or ``RollUpState`` (the dashboard, "my
indicators", the value form, reminders, the report worker) calls one of these first. When
the states are current this costs one query; when they are stale (the process that
changed the registers died before its recompute, see monitoring.freshness) the plan is
recomputed here, so a page never shows "not computed yet" next to complete registers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from smartplan.monitoring.freshness import plan_states_are_current, stale_plan_ids
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan

log = logging.getLogger(__name__)


def _recompute(plan: Plan) -> bool:
    try:
        plan_states_recompute(plan=plan)
    except Exception:  # the reader still gets the stored states; the next read tries again
        log.exception("Recomputing the stale states of plan %s failed", plan.pk)
        return False
    return True


def plan_states_current(*, plan: Plan) -> bool:
    """Make the stored states of ``plan`` current before they are read; True if recomputed.

    One query when they are current already.
    """
    if plan_states_are_current(plan=plan):
        return False
    return _recompute(plan)


def plans_states_current(*, plan_ids: Iterable[int] | QuerySet[Any] | None = None) -> int:
    """The same for several plans (all when ``plan_ids`` is None); returns how many recomputed.

    One query when every plan is current.
    """
    stale = stale_plan_ids(plan_ids=plan_ids)
    if not stale:
        return 0
    return sum(_recompute(plan) for plan in Plan.objects.filter(pk__in=stale).order_by("pk"))
