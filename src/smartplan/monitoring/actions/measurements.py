"""Saving measured values: the one path for every channel, one value or 100 000.

The rules (here and nowhere else):

* a value is identified by its sub-indicator and date: a value for a sub-indicator and date
  that already has one UPDATES it (through the rules below), it is never duplicated; two
  entries of one call for the same sub-indicator and date are a problem;
* a final value changes only with a reason, and its old content is kept as a
  ``MeasurementRevision`` (an entry that changes nothing needs no reason and writes nothing);
* a value that puts its sub-indicator off track needs a note;
* computed sub-indicators (formula, observations) take no entered values;
* a milestone is 0 (not yet) or 1 (achieved);
* a period does not start after it ends;
* an edit based on an older version of the stored value is refused, never saved over the
  newer one (``based_on_version``: the version the edit started from, 0 for "there was no
  value at this date"); a value stored meanwhile at the same date by a concurrent writer is
  then found (the database holds one value per sub-indicator and date) and the entry
  updates it by these rules, or is refused when it was based on having seen no value.

Use::

    from smartplan.monitoring.actions.measurements import MeasurementEntry, SaveMeasurements

    entries = [
        MeasurementEntry(sub_indicator=sub, date=dt.date(2021, 12, 31), value=Decimal(3),
                         note="", row=7, sheet="Měření"),
        ...
    ]
    action = SaveMeasurements(entries, user=None, columns={"value": "Hodnota"}, source="x.csv")
    problems = action.check()          # every problem of every entry, nothing written
    saved = action.execute()           # check again, then write in one transaction

``execute`` raises ``ChangeRefusedError`` (``ImportRefusedError`` when ``source`` names a
file) listing every problem and writes nothing when any entry breaks a rule. It writes with
bulk operations (about 100 000 rows in a few seconds) and marks the monitoring states of
each plan touched stale in the same transaction (one recompute follows its commit).
``measurement_save`` is the one-value form for forms and the API.

Where a problem is: ``Problem.field`` is the entry's attribute (``value``, ``note``,
``reason``, ``date``, ``period_start``, ``sub_indicator``), which forms and the API map to
their inputs; ``Problem.row``/``Problem.sheet`` come from the entry, and ``Problem.column``
from ``columns`` (the file's heading for that attribute), so the message names the place.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartplan.core.change_sets import history_bulk_create, history_bulk_update
from smartplan.core.czech_format import format_date
from smartplan.core.problems import ChangeRefusedError, ImportRefusedError, Problem
from smartplan.core.signals import plan_data_changed_send
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.actions.measurement_conflicts import (
    concurrent_value_problem,
    one_per_date_violated,
    stale_entry_problem,
    versions_moved,
)
from smartplan.monitoring.selectors import plan_thresholds, target_of

BATCH = 5000
FINAL = "final"
PROVISIONAL = "provisional"
# The fields a change writes; a change of any of them on a final value needs a reason.
WRITTEN = ("date", "period_start", "value", "note", "status")


class Keep(enum.Enum):
    """Leave the stored content as it is (a file without that column)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class MeasurementEntry:
    """One value to store.

    ``note=None`` and ``final=None`` keep what is stored (a new value: no note, provisional);
    ``period_start=KEEP`` keeps the stored period (a new value: a value at a date).
    ``measurement_id`` edits that stored value (its date may change); without it the value
    is found by sub-indicator and date. ``row``/``sheet`` say where the entry came from.
    ``based_on_version``: the version of the stored value the edit started from (0: the
    user saw no value at the date); ``None`` (a file, an API call without a version) updates
    whatever is stored by the rules.
    """

    sub_indicator: SubIndicator
    date: dt.date
    value: Decimal
    note: str | None = None
    period_start: dt.date | Keep | None = None
    final: bool | None = None
    reason: str = ""
    measurement_id: int | None = None
    row: int | None = None
    sheet: str | None = None
    based_on_version: int | None = None


@dataclass
class MeasurementsSaved:
    """What ``execute`` wrote (or, with ``dry_run``, would write).

    ``ids``: the stored value of each entry, in the entries' order (empty for a dry run).
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    revisions: int = 0
    ids: list[int] = field(default_factory=list)


class _Stored(NamedTuple):
    """A stored value as the check reads it (tuples: 100 000 of them load in a blink)."""

    pk: int
    plan_id: int
    sub_indicator_id: int
    date: dt.date
    period_start: dt.date | None
    value: Decimal
    note: str
    status: str
    version: int


_STORED_FIELDS = ("pk", *(name for name in _Stored._fields if name != "pk"))


User = AuthUser | AnonymousUser


@dataclass
class _Planned:
    index: int
    entry: MeasurementEntry
    existing: _Stored | None
    date: dt.date
    period_start: dt.date | None
    value: Decimal
    note: str
    status: str

    def changes(self) -> bool:
        old = self.existing
        return old is None or (
            (old.date, old.period_start, old.value, old.note, old.status)
            != (self.date, self.period_start, self.value, self.note, self.status)
        )


class SaveMeasurements:
    """Check, then store, measured values (see the module docstring for the rules)."""

    def __init__(
        self,
        entries: Iterable[MeasurementEntry],
        *,
        user: User | None = None,
        columns: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> None:
        self.entries = list(entries)
        self.user = user if isinstance(user, AuthUser) else None
        self.columns = dict(columns or {})
        self.source = source
        self._planned: list[_Planned] = []
        self._locking = False  # while executing: lock the stored values an edit is based on

    # -- check -----------------------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Every problem of every entry, in entry order; reads, never writes."""
        by_id, by_key = self._existing()
        seen: dict[tuple[int, dt.date], MeasurementEntry] = {}
        claimed: dict[int, MeasurementEntry] = {}
        found: list[tuple[int, Problem]] = []
        planned: list[_Planned] = []
        for index, entry in enumerate(self.entries):
            problems = self._value_problems(entry)
            existing, refused = self._stored_value(entry, by_id, by_key, seen, claimed)
            refused = refused or stale_entry_problem(self, entry, existing)
            if refused is not None:
                found.extend((index, problem) for problem in [*problems, refused])
                continue
            item = self._planned_change(index, entry, existing)
            problems.extend(self._change_problems(item))
            if problems:
                found.extend((index, problem) for problem in problems)
            else:
                planned.append(item)
        found.extend(self._off_track(planned))
        found.sort(key=lambda pair: pair[0])  # stable: an entry's problems keep their order
        self._planned = planned
        return [problem for _index, problem in found]

    def _value_problems(self, entry: MeasurementEntry) -> list[Problem]:
        """Computed sub-indicators take no values; a milestone is 0 or 1."""
        sub = entry.sub_indicator
        problems = []
        if sub.source != SubIndicator.Source.MEASURED:
            problems.append(
                self._problem(
                    entry,
                    "sub_indicator",
                    sub.code,
                    _("The sub-indicator %(code)s is computed; its values cannot be entered.")
                    % {"code": sub.code},
                )
            )
        if sub.kind == SubIndicator.Kind.MILESTONE and entry.value not in (0, 1):
            problems.append(
                self._problem(
                    entry, "value", entry.value, _("A milestone is 0 (not yet) or 1 (achieved).")
                )
            )
        return problems

    def _stored_value(
        self,
        entry: MeasurementEntry,
        by_id: dict[int, _Stored],
        by_key: dict[tuple[int, dt.date], _Stored],
        seen: dict[tuple[int, dt.date], MeasurementEntry],
        claimed: dict[int, MeasurementEntry],
    ) -> tuple[_Stored | None, Problem | None]:
        """The stored value the entry changes (by id, else by sub-indicator and date), or the
        problem that makes it ambiguous; ``seen`` and ``claimed`` remember earlier entries."""
        sub = entry.sub_indicator
        key = (sub.pk, entry.date)
        if key in seen:
            return None, self._duplicate(entry, seen[key])
        seen[key] = entry
        existing = by_key.get(key)
        if entry.measurement_id is not None:
            edited = by_id.get(entry.measurement_id)
            if edited is None or edited.sub_indicator_id != sub.pk:
                return None, self._problem(
                    entry, "sub_indicator", sub.code, _("The value to change no longer exists.")
                )
            if existing is not None and existing.pk != edited.pk:
                return None, self._problem(
                    entry,
                    "date",
                    format_date(entry.date),
                    _("%(code)s already has a value at %(date)s.")
                    % {"code": sub.code, "date": format_date(entry.date)},
                )
            existing = edited
        if existing is not None:
            # Two entries changing one stored value (one by id, one by date) collide.
            if existing.pk in claimed:
                return None, self._duplicate(entry, claimed[existing.pk])
            claimed[existing.pk] = entry
        return existing, None

    def _planned_change(
        self, index: int, entry: MeasurementEntry, existing: _Stored | None
    ) -> _Planned:
        """The content the value will have: what the entry gives, the rest as stored."""
        if entry.period_start is KEEP:
            period_start = existing.period_start if existing else None
        else:
            period_start = entry.period_start
        if entry.final is None:
            status = existing.status if existing else PROVISIONAL
        else:
            status = FINAL if entry.final else PROVISIONAL
        note = entry.note if entry.note is not None else (existing.note if existing else "")
        return _Planned(index, entry, existing, entry.date, period_start, entry.value, note, status)

    def _change_problems(self, item: _Planned) -> list[Problem]:
        """A period does not start after it ends; a final value changes only with a reason."""
        entry, existing = item.entry, item.existing
        problems = []
        if item.period_start is not None and item.period_start > item.date:
            problems.append(
                self._problem(
                    entry,
                    "period_start",
                    format_date(item.period_start),
                    _("The period cannot end before it starts."),
                )
            )
        if (
            existing is not None
            and existing.status == FINAL
            and item.changes()
            and not entry.reason.strip()
        ):
            problems.append(
                self._problem(
                    entry,
                    "reason",
                    None,
                    _(
                        "The value of %(code)s at %(date)s is final; say why it changes "
                        "(the old value is kept in history)."
                    )
                    % {"code": entry.sub_indicator.code, "date": format_date(existing.date)},
                )
            )
        return problems

    def _existing(self) -> tuple[dict[int, _Stored], dict[tuple[int, dt.date], _Stored]]:
        """Stored values the entries may change: by id, and by sub-indicator and date."""
        if not self.entries:
            return {}, {}
        ids = {e.measurement_id for e in self.entries if e.measurement_id is not None}
        by_id: dict[int, _Stored] = {}
        rows = Measurement.objects.all()
        if self._locking and any(e.based_on_version is not None for e in self.entries):
            # Two edits of one value based on the same version: the second waits here for the
            # first to commit, then sees its version (PostgreSQL; SQLite writes one at a time).
            rows = rows.select_for_update()
        if ids:
            for row in rows.filter(pk__in=ids).values_list(*_STORED_FIELDS):
                by_id[row[0]] = _Stored(*row)
        dates = [e.date for e in self.entries]
        by_key: dict[tuple[int, dt.date], _Stored] = {}
        stored = rows.filter(
            sub_indicator_id__in={e.sub_indicator.pk for e in self.entries},
            date__range=(min(dates), max(dates)),
        ).order_by("-pk")
        # The oldest stored value of a sub-indicator and date is the one (older data may
        # hold two: the later ones are left as they are).
        for row in stored.values_list(*_STORED_FIELDS):
            m = _Stored(*row)
            by_key[(m.sub_indicator_id, m.date)] = m
        return by_id, by_key

    def _off_track(self, planned: Sequence[_Planned]) -> list[tuple[int, Problem]]:
        """A value that puts its sub-indicator off track needs a note.

        The value assessed is what the sub-indicator would show at the entry's date: the value
        itself, or for a sum of periods the sum of the values up to that date, stored and
        entered together.
        """
        # An entry that changes nothing is not refused for what was stored before.
        needing = [item for item in planned if not item.note.strip() and item.changes()]
        if not needing:
            return []
        summed = {
            item.entry.sub_indicator.pk
            for item in needing
            if item.entry.sub_indicator.aggregation == SubIndicator.Aggregation.SUM
        }
        totals = self._running_sums(planned, summed) if summed else {}
        thresholds: dict[int, rules.Thresholds] = {}
        targets: dict[int, rules.Target] = {}
        problems: list[tuple[int, Problem]] = []
        for item in needing:
            sub = item.entry.sub_indicator
            if sub.plan_id not in thresholds:
                # A sub-indicator being created with its values has no plan yet: defaults.
                thresholds[sub.plan_id] = (
                    plan_thresholds(plan=sub.plan) if sub.plan_id else rules.Thresholds()
                )
            value = totals.get((sub.pk, item.date), item.value)
            target = targets.get(sub.pk) or targets.setdefault(sub.pk, target_of(sub))
            status = rules.status_of(
                target,
                value=value,
                value_date=item.date,
                as_of=item.date,
                thresholds=thresholds[sub.plan_id],
            )
            if status != rules.OFF_TRACK:
                continue
            # The explanation (number formatting) only for the values that need it.
            assessment = rules.assess(
                target,
                value=value,
                value_date=item.date,
                as_of=item.date,
                thresholds=thresholds[sub.plan_id],
            )
            if assessment.status == rules.OFF_TRACK:
                problems.append(
                    (
                        item.index,
                        self._problem(
                            item.entry,
                            "note",
                            None,
                            _(
                                "With this value the sub-indicator %(code)s is off track; explain "
                                "why in the note. (%(explanation)s)"
                            )
                            % {"code": sub.code, "explanation": assessment.explanation},
                        ),
                    )
                )
        return problems

    def _running_sums(
        self, planned: Sequence[_Planned], subs: set[int]
    ) -> dict[tuple[int, dt.date], Decimal]:
        """For sums of periods: the sum of a sub-indicator's values up to each date."""
        replaced = {item.existing.pk for item in planned if item.existing is not None}
        values: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
        for pk, sub_id, date, value in Measurement.objects.filter(
            sub_indicator_id__in=subs
        ).values_list("pk", "sub_indicator_id", "date", "value"):
            if pk not in replaced:
                values[sub_id][date] = values[sub_id].get(date, Decimal(0)) + value
        for item in planned:
            sub_id = item.entry.sub_indicator.pk
            if sub_id in subs:
                values[sub_id][item.date] = values[sub_id].get(item.date, Decimal(0)) + item.value
        totals = {}
        for sub_id, by_date in values.items():
            running = Decimal(0)
            for date in sorted(by_date):
                running += by_date[date]
                totals[(sub_id, date)] = running
        return totals

    def _problem(self, entry: MeasurementEntry, name: str, value: Any, message: str) -> Problem:
        return Problem(
            entry.row,
            self.columns.get(name),
            value,
            message,
            sheet=entry.sheet,
            field=name,
        )

    def _duplicate(self, entry: MeasurementEntry, first: MeasurementEntry) -> Problem:
        if first.row is not None:
            message = _("the same sub-indicator and date as row %(row)s") % {"row": first.row}
        else:
            message = _("%(code)s already has a value at %(date)s.") % {
                "code": entry.sub_indicator.code,
                "date": format_date(entry.date),
            }
        return self._problem(entry, "date", format_date(entry.date), message)

    # -- execute ---------------------------------------------------------------------------

    def execute(self, *, dry_run: bool = False) -> MeasurementsSaved:
        """Check every entry, then write all of them in one transaction, or nothing.

        Raises ``ChangeRefusedError`` (``ImportRefusedError`` for a ``source`` file) with
        every problem. ``dry_run`` checks and counts without writing.
        """
        self._locking = True
        try:
            with transaction.atomic():
                try:
                    return self._execute_once(dry_run=dry_run)
                except IntegrityError as error:
                    if not one_per_date_violated(error):
                        raise
                # A concurrent writer stored a value at one of the dates after the check:
                # check again against it (the entry updates it, or is refused as stale).
                try:
                    return self._execute_once(dry_run=dry_run)
                except IntegrityError as error:
                    if not one_per_date_violated(error):
                        raise
                    raise self._refused([concurrent_value_problem()]) from error
        finally:
            self._locking = False

    def _execute_once(self, *, dry_run: bool) -> MeasurementsSaved:
        problems = self.check()
        if not problems and versions_moved(self._planned):
            problems = self.check()  # an edit committed after the check: now it is stale
        if problems:
            raise self._refused(problems)
        with transaction.atomic():  # a savepoint: a refused insert leaves the rest usable
            return self._write(dry_run=dry_run)

    def _refused(self, problems: list[Problem]) -> ChangeRefusedError:
        if self.source is not None:
            return ImportRefusedError(problems, source=self.source)
        return ChangeRefusedError(problems)

    def _write(self, *, dry_run: bool) -> MeasurementsSaved:
        saved = MeasurementsSaved()
        now = timezone.now()
        new: dict[int, Measurement] = {}
        changed: list[Measurement] = []
        revisions: list[MeasurementRevision] = []
        plans: set[int] = set()
        for index, item in enumerate(self._planned):
            entry, old = item.entry, item.existing
            if old is None:
                # Ids, not objects: setting 100 000 related objects costs seconds.
                new[index] = Measurement(
                    plan_id=entry.sub_indicator.plan_id,
                    sub_indicator_id=entry.sub_indicator.pk,
                    date=item.date,
                    period_start=item.period_start,
                    value=item.value,
                    note=item.note,
                    status=item.status,
                    entered_by_id=self.user.pk if self.user else None,
                    created_at=now,
                    updated_at=now,
                )
                plans.add(entry.sub_indicator.plan_id)
                continue
            if not item.changes():
                saved.unchanged += 1
                continue
            if old.status == FINAL:
                revisions.append(
                    MeasurementRevision(
                        plan_id=old.plan_id,
                        measurement_id=old.pk,
                        old_date=old.date,
                        old_value=old.value,
                        old_status=old.status,
                        old_note=old.note,
                        changed_by=self.user,
                        reason=entry.reason.strip(),
                        created_at=now,
                        updated_at=now,
                    )
                )
            changed.append(
                Measurement(
                    pk=old.pk,
                    plan_id=old.plan_id,
                    sub_indicator_id=old.sub_indicator_id,
                    date=item.date,
                    period_start=item.period_start,
                    value=item.value,
                    note=item.note,
                    status=item.status,
                    updated_at=now,
                )
            )
            plans.add(old.plan_id)
        saved.created, saved.updated, saved.revisions = len(new), len(changed), len(revisions)
        if dry_run:
            return saved
        # The history of every row is written in bulk too, in the open change set.
        history_bulk_create(Measurement, list(new.values()), batch_size=BATCH)
        for row in changed:
            row.version += 1  # bulk writes skip save(): raise the version stale edits check
        history_bulk_update(
            Measurement,
            changed,
            [*WRITTEN, "updated_at", "version"],
            batch_size=BATCH,
            partial=True,
        )
        history_bulk_create(MeasurementRevision, revisions, batch_size=BATCH)
        saved.ids = [
            new[index].pk if item.existing is None else item.existing.pk
            for index, item in enumerate(self._planned)
        ]
        for plan_id in sorted(plans):
            # Bulk writes send no model signals: say it once per plan, inside the transaction,
            # so the plan's stored states are marked stale with the values that changed them.
            plan_data_changed_send(model=Measurement, plan_id=plan_id)
        return saved


def measurements_check(
    *, entries: Iterable[MeasurementEntry], columns: Mapping[str, str] | None = None
) -> list[Problem]:
    """Every problem of ``entries``; nothing is written."""
    return SaveMeasurements(entries, columns=columns).check()


def measurements_save(
    *,
    entries: Iterable[MeasurementEntry],
    user: User | None,
    columns: Mapping[str, str] | None = None,
    source: str | None = None,
    dry_run: bool = False,
) -> MeasurementsSaved:
    """Store ``entries`` in one transaction, or raise with every problem and store nothing.

    ``source`` (a file name) makes the refusal an ``ImportRefusedError`` naming that file;
    The plan's stored states are marked stale in the same transaction (``core.signals``);
    a writer of a whole plan that recomputes at its end spends that mark.
    """
    return SaveMeasurements(entries, user=user, columns=columns, source=source).execute(
        dry_run=dry_run
    )


def measurement_save(*, entry: MeasurementEntry, user: User | None) -> Measurement:
    """Store one value (new, or changing the one stored for its sub-indicator and date).

    Raises ``ChangeRefusedError`` whose problems name the entry's fields.
    """
    saved = SaveMeasurements([entry], user=user).execute()
    return Measurement.objects.select_related("sub_indicator").get(pk=saved.ids[0])
