"""Measurements from CSV, as Czech Excel and other systems write them; all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.csv_reader import read_csv
from smartplan.exchange.czech_values import parse_date, parse_decimal
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.recompute_triggers import schedule_plan_recompute
from smartplan.plans.models import Plan

REQUIRED = {
    "indicator": ("indikator", "dilci indikator", "kod", "indicator", "sub-indicator", "code"),
    "date": ("datum", "do", "obdobi do", "date", "period end", "period_end"),
    "value": ("hodnota", "value"),
}
OPTIONAL = {
    "period_start": ("od", "obdobi od", "period start", "period_start"),
    "note": ("poznamka", "komentar", "note"),
}
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class MeasurementImport:
    created: int
    updated: int
    unchanged: int


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


def measurements_import(*, plan: Plan, path: Path, dry_run: bool = False) -> MeasurementImport:
    """Import measurements (indicator or sub-indicator code, date or period, value, note).

    Every row is checked; any problem refuses the whole file with the list of problems
    (the first 200). A value for an existing sub-indicator and period replaces it.
    """
    lookup = _sub_lookup(plan)
    problems: list[Problem] = []
    rows: dict[tuple[int, dt.date, dt.date | None], tuple[int, Decimal, str]] = {}
    for row in read_csv(path, required=REQUIRED, optional=OPTIONAL):
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
        start = None
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
        elif sub is not None and sub.kind == SubIndicator.Kind.MILESTONE and value not in (0, 1):
            problems.append(
                Problem(
                    row.number,
                    "hodnota",
                    cells["value"],
                    _("a milestone is 0 (not yet) or 1 (achieved)"),
                )
            )
        if start and date and start > date:
            problems.append(
                Problem(
                    row.number, "od", cells["period_start"], _("the period ends before it starts")
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
        key = (sub.pk, date, start)
        if key in rows:
            problems.append(
                Problem(
                    row.number,
                    None,
                    None,
                    _("the same sub-indicator and date as row %(row)s") % {"row": rows[key][0]},
                )
            )
            continue
        rows[key] = (row.number, value, cells.get("note", ""))
    if problems:
        raise ImportRefusedError(problems, source=path.name)
    if not rows:
        return MeasurementImport(0, 0, 0)
    dates = [key[1] for key in rows]
    existing = {
        (m.sub_indicator_id, m.date, m.period_start): m
        for m in Measurement.objects.filter(
            plan=plan,
            sub_indicator_id__in={key[0] for key in rows},
            date__range=(min(dates), max(dates)),
        ).only("pk", "sub_indicator_id", "date", "period_start", "value", "note")
    }
    new, changed, unchanged = [], [], 0
    for (sub_id, date, start), (_number, value, note) in rows.items():
        old = existing.get((sub_id, date, start))
        if old is None:
            new.append(
                Measurement(
                    plan=plan,
                    sub_indicator_id=sub_id,
                    date=date,
                    period_start=start,
                    value=value,
                    note=note,
                )
            )
        elif old.value != value or old.note != note:
            old.value, old.note = value, note
            changed.append(old)
        else:
            unchanged += 1
    if not dry_run:
        with transaction.atomic():
            Measurement.objects.bulk_create(new, batch_size=5000)
            Measurement.objects.bulk_update(changed, ["value", "note"], batch_size=5000)
            schedule_plan_recompute(plan.pk)
    return MeasurementImport(len(new), len(changed), unchanged)
