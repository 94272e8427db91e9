"""A measurement is reverted through the measurement action, like any other edit of it: a
final value changes only with a reason (and its old content is kept), an off-track value
needs a note, and so on (``core.history_revert``)."""

from __future__ import annotations

from smartplan.core.history_revert import (
    RevertTarget,
    revert_reason_register,
    revert_rule_register,
)
from smartplan.indicators.models import Measurement
from smartplan.monitoring.actions.measurements import FINAL, MeasurementEntry, SaveMeasurements


def measurement_revert(target: RevertTarget) -> None:
    """Store the measurement's earlier content with ``SaveMeasurements``."""
    obj = target.obj
    assert isinstance(obj, Measurement)
    values = target.values
    entry = MeasurementEntry(
        sub_indicator=obj.sub_indicator,
        date=values["date"],
        value=values["value"],
        note=values["note"],
        period_start=values["period_start"],
        final=values["status"] == FINAL,
        reason=target.reason,
        measurement_id=obj.pk,
    )
    SaveMeasurements([entry], user=target.user).execute()


def history_rules_register() -> None:
    revert_rule_register("indicators.measurement", measurement_revert)
    revert_reason_register("indicators.measurement")
