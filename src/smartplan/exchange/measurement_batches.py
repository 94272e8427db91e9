"""Measured values from a file, checked and written a batch at a time, still all or nothing.

A file of a million values cannot be held as a million entries (several GB) nor checked in
one call. Its rows go to the measurement action (``monitoring.actions.measurements``, the
one path with the rules) in batches of a few thousand: a batch ends where a sub-indicator
does, so each sub-indicator's values are checked together, and each is written before the
next is read, so a later batch's checks see the values written before it. The caller holds
one transaction around all the batches: a problem anywhere refuses the whole file (after
one, later batches are only checked, so the list of problems stays complete).

What spans batches is kept compactly (:class:`GivenDates`): the row of each sub-indicator
and date given, so a date given twice is a problem naming the first row, wherever it was.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_date
from smartplan.core.problems import ChangeRefusedError, Problem
from smartplan.monitoring.actions.measurements import (
    MeasurementEntry,
    MeasurementsSaved,
    User,
    measurements_save,
)

BATCH = 5000  # a few thousand entries hold a few MB


class GivenDates:
    """The row of each sub-indicator and date a file gave, in a few bytes per row.

    A batch's dates go into arrays per sub-indicator; only a sub-indicator given again in a
    later batch (a file not sorted by sub-indicator) has its dates looked up, in a
    dictionary made for it then.
    """

    def __init__(self) -> None:
        self._dates: dict[int, tuple[array[int], array[int]]] = {}
        self._found: dict[int, dict[int, int]] = {}

    def add(self, sub_id: int, date: dt.date, row: int) -> None:
        dates, rows = self._dates.setdefault(sub_id, (array("i"), array("i")))
        dates.append(date.toordinal())
        rows.append(row)
        found = self._found.get(sub_id)
        if found is not None:
            found.setdefault(date.toordinal(), row)

    def first(self, sub_id: int, date: dt.date) -> int | None:
        """The row that gave this sub-indicator and date in an earlier batch, if one did."""
        if sub_id not in self._dates:
            return None
        found = self._found.get(sub_id)
        if found is None:
            dates, rows = self._dates[sub_id]
            found = self._found[sub_id] = {}
            for ordinal, row in zip(dates, rows, strict=True):
                found.setdefault(ordinal, row)
        return found.get(date.toordinal())


@dataclass
class MeasurementBatches:
    """Entries given one at a time (:meth:`add`), checked and written in batches; call
    :meth:`finish` after the last. Run inside the caller's transaction.

    ``columns`` name the file's columns in problems; ``refused_before`` is the caller's
    list of problems found so far (read when a batch is sent: after a problem, batches are
    only checked); ``keep_ids`` collects the stored value of every entry in ``kept``.
    ``problems`` are the action's, and dates given twice across batches, in row order
    after :meth:`finish`; ``saved`` counts what was (or would be) written.
    """

    columns: Mapping[str, str]
    refused_before: list[Problem]
    user: User | None = None
    size: int = BATCH
    keep_ids: bool = False
    problems: list[Problem] = field(default_factory=list)
    saved: MeasurementsSaved = field(default_factory=MeasurementsSaved)
    kept: set[int] = field(default_factory=set)
    _given: GivenDates = field(default_factory=GivenDates)
    _batch: list[MeasurementEntry] = field(default_factory=list)
    _sent: int = 0

    def add(self, entry: MeasurementEntry) -> None:
        """Take one entry; the batch before it is sent when full and its sub-indicator ends
        (or, for one sub-indicator's very long run of values, at four times the size)."""
        batch = self._batch
        if len(batch) >= self.size and (
            entry.sub_indicator is not batch[-1].sub_indicator or len(batch) >= 4 * self.size
        ):
            self._send()
        first = self._given.first(entry.sub_indicator.pk, entry.date)
        if first is not None:
            self.problems.append(
                Problem(
                    entry.row,
                    self.columns.get("date"),
                    format_date(entry.date),
                    _("the same sub-indicator and date as row %(row)s") % {"row": first},
                    entry.sheet,
                    field="date",
                )
            )
            return
        self._batch.append(entry)  # a new list when the one before was sent

    def finish(self) -> None:
        """Send the last batch (an empty file sends one empty batch, as one call would)."""
        if self._batch or not self._sent:
            self._send()
        self.problems.sort(key=lambda problem: problem.row or 0)  # stable: a row's in order

    def _send(self) -> None:
        """Check and write one batch of measured values (only check after a problem)."""
        entries, self._batch = self._batch, []
        self._sent += 1
        try:
            with transaction.atomic():
                saved = measurements_save(
                    entries=entries,
                    user=self.user,
                    columns=self.columns,
                    source=None,
                    dry_run=bool(self.refused_before or self.problems),
                )
        except ChangeRefusedError as exc:
            self.problems.extend(exc.problems)
        else:
            self.saved.created += saved.created
            self.saved.updated += saved.updated
            self.saved.unchanged += saved.unchanged
            self.saved.revisions += saved.revisions
            if self.keep_ids:
                self.kept.update(saved.ids)
        for entry in entries:
            self._given.add(entry.sub_indicator.pk, entry.date, entry.row or 0)
