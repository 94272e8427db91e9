"""Measurements from CSV, as Czech Excel and other systems write them; all or nothing.

This module reads the file; the rules (final values, off-track notes, milestones, computed
sub-indicators, one value per sub-indicator and date) are the measurement action's
(``monitoring.actions.measurements``). The file is read a row at a time and its values go
to the action in batches (:mod:`exchange.measurement_batches`), all in one transaction: a
file of a million values costs the memory of one batch, and a problem anywhere still
refuses all of it.
"""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.csv_reader import CsvRow, read_csv
from smartplan.core.czech_values import parse_date, parse_decimal
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.formula_guard import text_unguard
from smartplan.exchange.measurement_batches import BATCH, MeasurementBatches
from smartplan.indicators.models import SubIndicator
from smartplan.monitoring.actions.measurements import KEEP, MeasurementEntry, User
from smartplan.plans.models import Plan

REQUIRED = {
    "indicator": ("indikator", "dilci indikator", "kod", "indicator", "sub-indicator", "code"),
    "date": ("datum", "do", "obdobi do", "date", "period end", "period_end"),
    "value": ("hodnota", "value"),
}
OPTIONAL = {
    "period_start": ("od", "obdobi od", "period start", "period_start"),
    "note": ("poznamka", "komentar", "note"),
    "reason": ("duvod zmeny", "duvod", "reason"),
}
# How problems name the columns (the action's field → the column a user sees).
COLUMNS = {
    "sub_indicator": "indikátor",
    "date": "datum",
    "period_start": "od",
    "value": "hodnota",
    "note": "poznámka",
    "reason": "důvod změny",
}
MAX_PROBLEMS = 200
MEASUREMENT_BATCH = BATCH  # values checked and written together; tests set it lower


@dataclass(frozen=True)
class MeasurementImport:
    created: int
    updated: int
    unchanged: int
    revisions: int = 0


def _sub_lookup(plan: Plan) -> dict[str, SubIndicator | None]:
    """Sub-indicator codes, and indicator numbers of indicators with exactly one of them."""
    lookup: dict[str, SubIndicator | None] = {}
    per_indicator: dict[str, list[SubIndicator]] = {}
    for sub in SubIndicator.objects.filter(plan=plan).select_related("indicator"):
        lookup[sub.code] = sub
        per_indicator.setdefault(str(sub.indicator.number), []).append(sub)
    for number, subs in per_indicator.items():
        lookup.setdefault(number, subs[0] if len(subs) == 1 else None)
    return lookup


def measurements_import(
    *,
    plan: Plan,
    path: Path,
    dry_run: bool = False,
    user: User | None = None,
    label: str = "",
    source_name: str | None = None,
) -> MeasurementImport:
    """Import measurements (indicator or sub-indicator code, date or period, value, note,
    reason for a change).

    Every row is read and checked by the measurement action; any problem refuses the whole
    file with the list of problems (the first 200). A value for a sub-indicator and date
    that already has one changes it; a final one only when the row gives a reason (the
    "Důvod změny" column), and its old content is kept. Without a note column the stored
    notes stay; without a period column the stored periods stay. Notes and reasons are
    read as CSV exports write them: a leading apostrophe guarding formula-like text is
    dropped (``formula_guard``). ``source_name`` is the file's name as the user uploaded
    it (``path`` may be the server's copy): every message names it.
    """
    source = source_name or path.name
    lookup = _sub_lookup(plan)
    problems: list[Problem] = []
    batches = MeasurementBatches(
        columns=COLUMNS, refused_before=problems, user=user, size=MEASUREMENT_BATCH
    )
    # One transaction for every batch, rolled back on a problem or for a dry run; one change
    # set per file, named after it (``label``: the name the file was uploaded under, when
    # ``path`` is a stored copy).
    rows = read_csv(path, required=REQUIRED, optional=OPTIONAL, source_name=source)
    with transaction.atomic(), closing(rows):
        with change_set_open(channel=Channel.IMPORT, label=label or source, plan=plan, user=user):
            for row in rows:
                entry = _entry(row, lookup, problems)
                if len(problems) + len(batches.problems) >= MAX_PROBLEMS:
                    break
                if entry is not None:
                    batches.add(entry)
            batches.finish()
        if problems or batches.problems:
            found = sorted([*problems, *batches.problems], key=lambda problem: problem.row or 0)
            raise ImportRefusedError(found[:MAX_PROBLEMS], source=source)
        if dry_run:
            transaction.set_rollback(True)  # after the change set is closed: no query follows
    saved = batches.saved
    return MeasurementImport(saved.created, saved.updated, saved.unchanged, saved.revisions)


def _date(row: CsvRow, key: str, column: str, problems: list[Problem]) -> dt.date | None:
    """The date in the row's cell ``key``, or None with a problem in ``column`` (the
    header the user sees) added."""
    date = parse_date(row.cells[key])
    if date is None:
        message = _("expected a date such as 5. 2. 2020 or 2020-02-05")
        problems.append(Problem(row.number, column, row.cells[key], message))
    return date


def _entry(
    row: CsvRow, lookup: dict[str, SubIndicator | None], problems: list[Problem]
) -> MeasurementEntry | None:
    """The measurement action's entry for one row, or None with its problems added."""
    cells = row.cells
    code = cells["indicator"].strip()
    sub = lookup.get(code)
    if sub is None:
        message = (
            _("indicator %(code)s has several sub-indicators; give the sub-indicator code")
            if code in lookup
            else _("no such indicator or sub-indicator")
        )
        problems.append(Problem(row.number, "indikátor", code, message % {"code": code}))
    date = _date(row, "date", "datum", problems)
    start = _date(row, "period_start", "od", problems) if cells.get("period_start") else None
    value = parse_decimal(cells["value"])
    if value is None:
        problems.append(
            Problem(row.number, "hodnota", cells["value"], _("expected a number such as 1 234,5"))
        )
    if (
        sub is None
        or date is None
        or value is None
        or (cells.get("period_start") and start is None)
    ):
        return None
    return MeasurementEntry(
        sub_indicator=sub,
        date=date,
        value=value,
        note=text_unguard(cells["note"]) if "note" in cells else None,
        period_start=start if "period_start" in cells else KEEP,
        reason=text_unguard(cells.get("reason", "")),
        row=row.number,
    )
