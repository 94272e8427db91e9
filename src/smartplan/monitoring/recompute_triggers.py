"""Keep the stored monitoring states current when a plan's registers change.

Monitoring learns of changes only through ``core.signals.plan_data_changed`` (sent for
every save and delete of a register, by the editing interface too, and explicitly by bulk
writes). For each plan changed in a transaction this

1. marks the plan's states stale, durably, in that transaction (monitoring.freshness);
2. recomputes the plan once after the commit (several writes, one recompute).

Step 2 is best effort: if the process dies after the commit, the mark stays and the next
read of the states or the report worker recomputes the plan (monitoring.current_states).
The states are a cache of the rules, so this is cache invalidation, not business logic.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from smartplan.core.crash_points import crash_point
from smartplan.core.signals import CREATED, plan_data_changed
from smartplan.monitoring.freshness import (
    PLAN_ATTR,
    SPENT_ATTR,
    plan_states_are_current,
    states_freshness_create,
    states_mark_stale,
)
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan


def _pending_for(plan_id: int) -> bool:
    """Whether this transaction marked the plan already (its recompute waits for the commit).

    The pending callback is the record: a savepoint rolled back drops both the mark and the
    callback registered under it, so the next change in the transaction marks again; so
    does a change after a recompute inside the transaction (it spends the mark).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(
        getattr(entry[1], PLAN_ATTR, None) == plan_id and not getattr(entry[1], SPENT_ATTR, False)
        for entry in connection.run_on_commit
    )


def _recompute_after_commit(plan_id: int) -> None:
    def run() -> None:
        setattr(run, SPENT_ATTR, True)  # a change made from here on marks anew
        crash_point("before-states-recompute")
        plan = Plan.objects.filter(pk=plan_id).first()
        # Deleted in the same transaction, or current already (another transaction's
        # recompute, or one inside this transaction after its last change): nothing to do.
        if plan is not None and not plan_states_are_current(plan=plan):
            plan_states_recompute(plan=plan)

    setattr(run, PLAN_ATTR, plan_id)
    # robust: a failed recompute is logged, not raised at a writer whose change committed;
    # the plan stays marked stale and is recomputed when next read.
    transaction.on_commit(run, robust=True)


def plan_changed(*, plan_id: int, created: bool = False) -> None:
    """Mark the plan's states stale in the current transaction; recompute after its commit."""
    if _pending_for(plan_id):
        return
    if created:
        states_freshness_create(plan_id=plan_id)
    else:
        states_mark_stale(plan_id=plan_id)
    _recompute_after_commit(plan_id)


def _on_plan_data_changed(sender: Any, plan_id: int, kind: str, **kwargs: Any) -> None:
    plan_changed(plan_id=plan_id, created=sender is Plan and kind == CREATED)


plan_data_changed.connect(_on_plan_data_changed, dispatch_uid="monitoring-states")
