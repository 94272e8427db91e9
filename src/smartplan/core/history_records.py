"""The history of a register: ``history = history_records()`` on its model.

django-simple-history keeps a historical table per register (``<app>_historical<model>``)
with every field of the row, ``history_user``, ``history_date``, ``history_type``
(+ created, ~ changed, - deleted) and, from :class:`core.models.ChangeSetRecord`, the
change set the record belongs to (``core.change_sets``). The record's ``version`` is the
row's version after the change.
"""

from __future__ import annotations

from typing import Any

from simple_history.models import HistoricalRecords

from smartplan.core.models import ChangeSetRecord


def history_records(**kwargs: Any) -> HistoricalRecords:
    """Historical records of a register, each attached to its change set."""
    return HistoricalRecords(bases=[ChangeSetRecord], **kwargs)
