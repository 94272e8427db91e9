"""Keep the stored monitoring states fresh: recompute a plan once its inputs change.

The states are a cache of the rules (see monitoring.rules), so this is cache invalidation,
not business logic: any write to a measurement, observation, sub-indicator definition,
stack item or yearly fulfilment, by a service or in the editing interface, schedules one
recompute of its plan after the transaction commits (several writes, one recompute).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring.models import MonitoringSettings
from smartplan.observations.models import Observation
from smartplan.projects.models import ActivityFulfilment
from smartplan.stack.models import StackItem


def _pending_for(plan_id: int) -> bool:
    """Whether a recompute of the plan already waits for the current transaction's commit."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(
        getattr(entry[1], "smartplan_plan_id", None) == plan_id
        and not getattr(entry[1], "smartplan_started", False)
        for entry in connection.run_on_commit
    )


def schedule_plan_recompute(plan_id: int) -> None:
    if _pending_for(plan_id):
        return

    def run() -> None:
        from smartplan.monitoring.services import plan_states_recompute
        from smartplan.plans.models import Plan

        run.smartplan_started = True  # type: ignore[attr-defined]
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is not None:
            plan_states_recompute(plan=plan)

    run.smartplan_plan_id = plan_id  # type: ignore[attr-defined]
    # Pending callbacks vanish with a rolled-back transaction, so nothing is left scheduled.
    transaction.on_commit(run)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: inputs arrive in any order; recompute explicitly after
        return
    plan_id = getattr(instance, "plan_id", None)
    if plan_id:
        schedule_plan_recompute(plan_id)


for model in (
    Measurement,
    SubIndicator,
    Indicator,
    Observation,
    StackItem,
    ActivityFulfilment,
    MonitoringSettings,
):
    post_save.connect(_changed, sender=model, dispatch_uid=f"monitoring-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"monitoring-del-{model.__name__}")
