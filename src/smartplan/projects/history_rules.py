"""A yearly fulfilment is reverted through ``SaveFulfilment`` (money spent not negative, a
year of the plan's period, one fulfilment per activity and year), see
``core.history_revert``."""

from __future__ import annotations

from smartplan.core.history_revert import RevertTarget, revert_rule_register
from smartplan.projects.actions import FulfilmentEntry, SaveFulfilment
from smartplan.projects.models import Activity, ActivityFulfilment


def fulfilment_revert(target: RevertTarget) -> None:
    obj = target.obj
    assert isinstance(obj, ActivityFulfilment)
    values = target.values
    activity = Activity.objects.get(pk=values["activity_id"])
    SaveFulfilment(
        FulfilmentEntry(
            activity=activity,
            year=values["year"],
            spent=values["spent"],
            outputs=values["outputs"],
            fulfilment_id=obj.pk,
        )
    ).execute()


def history_rules_register() -> None:
    revert_rule_register("projects.activityfulfilment", fulfilment_revert)
