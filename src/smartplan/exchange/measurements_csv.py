"""Measurements from CSV, as Czech Excel and other systems write them; all or nothing.

This module reads the file; the rules (final values, off-track notes, milestones, computed
sub-indicators, one value per sub-indicator and date) are the measurement action's
(``monitoring.actions.measurements``), which checks every row and writes them together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.csv_reader import read_csv
from smartplan.core.czech_values import parse_date, parse_decimal
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.formula_guard import text_unguard
from smartplan.indicators.models import SubIndicator
from smartplan.monitoring.actions.measurements import (
    KEEP,
    MeasurementEntry,
    SaveMeasurements,
    User,
)
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
    entries: list[MeasurementEntry] = []
    for row in read_csv(path, required=REQUIRED, optional=OPTIONAL, source_name=source):
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
        date = parse_date(cells["date"])
        if date is None:
            problems.append(
                Problem(
                    row.number,
                    "datum",
                    cells["date"],
                    _("expected a date such as 5. 2. 2020 or 2020-02-05"),
                )
            )
        start: dt.date | None = None
        if cells.get("period_start"):
            start = parse_date(cells["period_start"])
            if start is None:
                problems.append(
                    Problem(
                        row.number,
                        "od",
                        cells["period_start"],
                        _("expected a date such as 5. 2. 2020 or 2020-02-05"),
                    )
                )
        value = parse_decimal(cells["value"])
        if value is None:
            problems.append(
                Problem(
                    row.number, "hodnota", cells["value"], _("expected a number such as 1 234,5")
                )
            )
        if len(problems) >= MAX_PROBLEMS:
            break
        if (
            sub is None
            or date is None
            or value is None
            or (cells.get("period_start") and start is None)
        ):
            continue
        entries.append(
            MeasurementEntry(
                sub_indicator=sub,
                date=date,
                value=value,
                note=text_unguard(cells["note"]) if "note" in cells else None,
                period_start=start if "period_start" in cells else KEEP,
                reason=text_unguard(cells.get("reason", "")),
                row=row.number,
            )
        )
    action = SaveMeasurements(entries, user=user, columns=COLUMNS, source=source)
    if problems:
        problems.extend(action.check())
        problems.sort(key=lambda problem: problem.row or 0)
        raise ImportRefusedError(problems[:MAX_PROBLEMS], source=source)
    try:
        # One change set per file, named after it (``label``: the name the file was
        # uploaded under, when ``path`` is a stored copy).
        with change_set_open(channel=Channel.IMPORT, label=label or source, plan=plan, user=user):
            saved = action.execute(dry_run=dry_run)
    except ImportRefusedError as refused:
        raise ImportRefusedError(refused.problems[:MAX_PROBLEMS], source=source) from None
    return MeasurementImport(saved.created, saved.updated, saved.unchanged, saved.revisions)
