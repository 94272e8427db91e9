"""Writes of observations: from a CSV file or from the API, checked whole, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.change_sets import (
    Channel,
    change_set_open,
    history_bulk_create,
    history_bulk_update,
)
from smartplan.core.csv_reader import read_csv
from smartplan.core.czech_values import parse_date, parse_decimal
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.core.signals import plan_data_changed_send
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.plans.models import Plan

COLUMNS = {
    "series": ("rada", "serie", "series", "kod rady"),
    "period_start": ("od", "obdobi od", "period start", "period_start", "datum od"),
    "period_end": ("do", "obdobi do", "period end", "period_end", "datum do"),
    "value": ("hodnota", "value"),
}


@dataclass(frozen=True)
class ObservationRow:
    """One observation to store; ``row`` is its row in the file or its index in the request."""

    row: int
    series: str
    period_start: dt.date
    period_end: dt.date
    value: Decimal


@dataclass(frozen=True)
class ObservationImport:
    created: int
    updated: int


def observations_store(
    *, plan: Plan, rows: Iterable[ObservationRow], source: str, dry_run: bool = False
) -> ObservationImport:
    """Create or update observations of ``plan``; any problem refuses them all.

    A row for a series and period that already exist replaces the value, so sending the
    same data twice changes nothing.
    """
    series_by_code = dict(ObservationSeries.objects.filter(plan=plan).values_list("code", "pk"))
    known = ", ".join(sorted(series_by_code)) or "–"
    problems: list[Problem] = []
    accepted: dict[tuple[int, dt.date, dt.date], tuple[int, Observation]] = {}
    for row in rows:
        series_id = series_by_code.get(row.series)
        if series_id is None:
            problems.append(
                Problem(
                    row.row,
                    "řada",
                    row.series,
                    _("unknown series; known: %(known)s") % {"known": known},
                )
            )
            continue
        if row.period_start > row.period_end:
            problems.append(
                Problem(row.row, "do", str(row.period_end), _("the period ends before it starts"))
            )
            continue
        key = (series_id, row.period_start, row.period_end)
        if key in accepted:
            problems.append(
                Problem(
                    row.row,
                    None,
                    None,
                    _("the same series and period as row %(row)s") % {"row": accepted[key][0]},
                )
            )
            continue
        accepted[key] = (
            row.row,
            Observation(
                plan=plan,
                series_id=series_id,
                period_start=row.period_start,
                period_end=row.period_end,
                value=row.value,
            ),
        )
    if problems:
        raise ImportRefusedError(problems, source=source)
    existing = {
        (o.series_id, o.period_start, o.period_end): o
        for o in Observation.objects.filter(plan=plan, series_id__in={k[0] for k in accepted})
    }
    new = [obs for key, (_row, obs) in accepted.items() if key not in existing]
    changed = []
    for key, (_row, obs) in accepted.items():
        old = existing.get(key)
        if old is not None and old.value != obs.value:
            old.value = obs.value
            old.version += 1  # bulk writes skip save(): stale edits must see the change
            changed.append(old)
    if not dry_run:
        with transaction.atomic():
            history_bulk_create(Observation, new, batch_size=2000)
            history_bulk_update(Observation, changed, ["value", "version"], batch_size=2000)
            # Bulk writes send no signals of their own.
            plan_data_changed_send(model=Observation, plan_id=plan.pk)
    return ObservationImport(created=len(new), updated=len(changed))


def _csv_rows(path: Path, problems: list[Problem]) -> list[ObservationRow]:
    rows = []
    for row in read_csv(path, required=COLUMNS):
        cells = row.cells
        start, end = parse_date(cells["period_start"]), parse_date(cells["period_end"])
        value = parse_decimal(cells["value"])
        for column, parsed, raw in (
            ("od", start, cells["period_start"]),
            ("do", end, cells["period_end"]),
        ):
            if parsed is None:
                problems.append(
                    Problem(
                        row.number,
                        column,
                        raw,
                        _("expected a date such as 5. 2. 2020 or 2020-02-05"),
                    )
                )
        if value is None:
            problems.append(
                Problem(
                    row.number, "hodnota", cells["value"], _("expected a number such as 1 234,5")
                )
            )
        if start is not None and end is not None and value is not None:
            rows.append(ObservationRow(row.number, cells["series"], start, end, value))
    return rows


def observations_import(
    *, plan: Plan, path: Path, dry_run: bool = False, label: str = ""
) -> ObservationImport:
    """Import a CSV of observations (series code, period from, period to, value) into ``plan``.

    Every row is checked first; any problem refuses the whole file with the full list. The
    file's changes are one change set of the history, named ``label`` or the file's name.
    """
    problems: list[Problem] = []
    rows = _csv_rows(path, problems)
    try:
        with change_set_open(channel=Channel.IMPORT, label=label or path.name, plan=plan):
            result = observations_store(plan=plan, rows=rows, source=path.name, dry_run=dry_run)
    except ImportRefusedError as refused:
        problems.extend(refused.problems)
    if problems:
        raise ImportRefusedError(sorted(problems, key=lambda p: p.row or 0), source=path.name)
    return result
