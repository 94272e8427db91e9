"""Writes of observations: importing a time series from CSV, all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.exchange.csv_reader import read_csv
from smartplan.exchange.czech_values import parse_date, parse_decimal
from smartplan.exchange.errors import ImportRefusedError, Problem
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.plans.models import Plan

COLUMNS = {
    "series": ("rada", "serie", "series", "kod rady"),
    "period_start": ("od", "obdobi od", "period start", "period_start", "datum od"),
    "period_end": ("do", "obdobi do", "period end", "period_end", "datum do"),
    "value": ("hodnota", "value"),
}


@dataclass(frozen=True)
class ObservationImport:
    created: int
    updated: int


def observations_import(*, plan: Plan, path: Path, dry_run: bool = False) -> ObservationImport:
    """Import observations (series code, period from, period to, value) into ``plan``.

    Every row is checked first; any problem refuses the whole file with the full list.
    A row for a period that already exists replaces its value, so importing twice
    changes nothing.
    """
    series_by_code = dict(ObservationSeries.objects.filter(plan=plan).values_list("code", "pk"))
    problems: list[Problem] = []
    rows: dict[tuple[int, dt.date, dt.date], tuple[int, Observation]] = {}
    for row in read_csv(path, required=COLUMNS):
        cells = row.cells
        series_id = series_by_code.get(cells["series"])
        if series_id is None:
            problems.append(
                Problem(
                    row.number,
                    "řada",
                    cells["series"],
                    _("unknown series; known: %(known)s")
                    % {"known": ", ".join(sorted(series_by_code)) or "–"},
                )
            )
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
        if start and end and start > end:
            problems.append(
                Problem(
                    row.number, "do", cells["period_end"], _("the period ends before it starts")
                )
            )
        if series_id is None or start is None or end is None or value is None:
            continue
        key = (series_id, start, end)
        if key in rows:
            problems.append(
                Problem(
                    row.number,
                    None,
                    None,
                    _("the same series and period as row %(row)s") % {"row": rows[key][0]},
                )
            )
            continue
        rows[key] = (
            row.number,
            Observation(
                plan=plan, series_id=series_id, period_start=start, period_end=end, value=value
            ),
        )
    if problems:
        raise ImportRefusedError(problems, source=path.name)
    existing = {
        (o.series_id, o.period_start, o.period_end): o
        for o in Observation.objects.filter(plan=plan, series_id__in={k[0] for k in rows})
    }
    new = [obs for key, (_n, obs) in rows.items() if key not in existing]
    changed = []
    for key, (_n, obs) in rows.items():
        old = existing.get(key)
        if old is not None and old.value != obs.value:
            old.value = obs.value
            changed.append(old)
    if not dry_run:
        with transaction.atomic():
            Observation.objects.bulk_create(new, batch_size=2000)
            Observation.objects.bulk_update(changed, ["value"], batch_size=2000)
            # bulk writes send no signals: recompute the plan's monitoring once.
            from smartplan.monitoring.recompute_triggers import schedule_plan_recompute

            schedule_plan_recompute(plan.pk)
    return ObservationImport(created=len(new), updated=len(changed))
