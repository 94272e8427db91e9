"""Importing a table in its own layout into one register of a plan, through a mapping.

A table (any sheet :func:`exchange.table_files.read_tables` gives: XLSX, ODS, CSV, a Word
table) is mapped to a register: the mapping a user wrote or confirmed, else the one saved
for the plan and the table's headers, else none, and the proposal is handed back for the
user to confirm (:class:`MappingNeededError`). The mapped rows are the register's
:class:`~exchange.plan_rows.PlanRows`, written by :func:`exchange.plan_rows.plan_rows_write`
like any other import (every check, all or nothing, one change set named after the file),
and every problem names the sheet, row and column as the user's file names them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.errors import SmartplanError
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.columns import CellError, clean_text, fold_case
from smartplan.exchange.mapping_proposal import Mapping, column_unnamed, mapping_propose
from smartplan.exchange.mapping_store import saved_mapping_find, saved_mapping_save
from smartplan.exchange.mapping_targets import TARGETS, Target
from smartplan.exchange.mapping_yaml import mapping_dict, mapping_from_dict
from smartplan.exchange.models import SavedMapping
from smartplan.exchange.plan_rows import ImportReport, PlanRows, Row, plan_rows_write
from smartplan.exchange.table_files import read_tables
from smartplan.exchange.unit_conversion import UNIT_BY_CODE, unit_convert
from smartplan.exchange.value_maps import value_map_keyed, value_mapped
from smartplan.exchange.workbook_reader import SheetData
from smartplan.plans.models import Plan


class MappingNeededError(SmartplanError):
    """The table's layout has no saved mapping: the proposal waits for the user."""

    exit_code = 2

    def __init__(self, proposal: Mapping, *, source: str) -> None:
        super().__init__(
            _(
                "%(file)s: the plan has no saved mapping of these columns to the register "
                "%(register)s. Check the proposed mapping, correct it if needed and import "
                "with it (--mapping FILE)."
            )
            % {"file": source, "register": proposal.target.label}
        )
        self.proposal = proposal
        self.source = source


@dataclass
class TableImport:
    report: ImportReport
    mapping: Mapping
    used: SavedMapping | None  # the saved mapping used without asking, if any
    saved: SavedMapping | None  # the mapping saved for the plan by this import, if any


def table_pick(
    tables: dict[str, SheetData], target: Target | None, *, sheet: str | None = None
) -> tuple[SheetData, Target]:
    """The sheet to import (named, or the one that best fits) and its register (given, or
    the one the sheet's headers fit best)."""
    if sheet is not None:
        if sheet not in tables:
            raise ImportRefusedError(
                [
                    Problem(
                        None,
                        None,
                        sheet,
                        _("no such sheet; the file has %(sheets)s") % {"sheets": ", ".join(tables)},
                    )
                ]
            )
        candidates = [tables[sheet]]
    else:
        candidates = [data for data in tables.values() if data.rows] or list(tables.values())
    targets = [target] if target else list(TARGETS.values())
    if len(candidates) == 1 and len(targets) == 1:
        return candidates[0], targets[0]  # nothing to choose between
    best: tuple[tuple[float, float], SheetData, Target] | None = None
    for data in candidates:
        for each in targets:
            proposal = mapping_propose(data, each, values=False)
            required = len(each.required) or 1
            rank = (1 - len(proposal.missing()) / required, proposal.score)
            if best is None or rank > best[0]:
                best = (rank, data, each)
    if best is None:
        raise ImportRefusedError([Problem(None, None, None, _("the file has no table"))])
    return best[1], best[2]


def mapping_check(mapping: Mapping, *, source: str) -> None:
    """Refuse a mapping that leaves a required field unfed, before any preview."""
    missing = mapping.missing()
    if missing:
        raise ImportRefusedError(
            [
                Problem(
                    None,
                    None,
                    None,
                    _("no column feeds the required field %(field)s") % {"field": c.header},
                    mapping.sheet,
                )
                for c in missing
            ],
            source=source,
        )


def _existing_cells(plan: Plan, target: Target) -> dict[str, dict[str, Any]]:
    """Rows already in the register by key, as cells: a field the table does not feed keeps
    its value instead of being emptied (only for registers with a one-column key)."""
    sheet = target.sheet
    if len(sheet.key) != 1:
        return {}
    key = sheet.column(sheet.key[0])
    model: Any = sheet.model
    rows = model._default_manager.filter(plan=plan)
    if sheet.select_related:
        rows = rows.select_related(*sheet.select_related)
    if sheet.prefetch_related:
        rows = rows.prefetch_related(*sheet.prefetch_related)
    return {
        fold_case(clean_text(key.to_cell(obj))): {c.field: c.to_cell(obj) for c in sheet.columns}
        for obj in rows
    }


def mapping_rows(
    data: SheetData, mapping: Mapping, *, source: str, plan: Plan | None = None
) -> PlanRows:
    """The table's rows as the register's rows, values mapped and converted; columns that
    feed nothing and rows that are not items (titles, totals) are listed as warnings."""
    target = mapping.target
    rows = PlanRows(source=source)
    fed = [c for c in mapping.columns if c.field]
    plan_cells: list[tuple[int, str, dict[str, Any], Any]] = []
    for column in fed:
        assert column.field is not None
        kept = target.unit(column.field)
        source_unit = UNIT_BY_CODE.get(column.unit or "")
        converter = (source_unit, kept) if kept and source_unit and source_unit != kept else None
        plan_cells.append(
            (
                column.index,
                column.field,
                value_map_keyed(mapping.values.get(column.field, {})),
                converter,
            )
        )
    rows.warnings += data.warnings  # what the reader noticed, named by its own cell
    rows.warnings += [
        Problem(None, c.label, None, _("the column feeds no field; not imported"), data.name)
        for c in mapping.unused()
        if c.samples or not column_unnamed(c)
    ]
    whole = target.whole
    key_fields = set(target.sheet.key)
    existing = _existing_cells(plan, target) if plan is not None else {}
    key_name = target.sheet.key[0]
    last_header = max(mapping.header_rows, default=0)
    result: list[Row] = []
    for number, values in data.rows:
        if number <= last_header:
            continue
        cells: dict[str, Any] = {}
        filled = 0
        for index, name, keyed, converter in plan_cells:
            raw = values[index] if index < len(values) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                cells[name] = None
                continue
            filled += 1
            raw = value_mapped(raw, keyed)
            if converter is not None:
                raw = unit_convert(
                    raw, source=converter[0], target=converter[1], whole=name in whole
                )
            cells[name] = raw
        if not filled:
            continue
        if filled <= 2 and not any(_key_readable(target, k, cells.get(k)) for k in key_fields):
            rows.warnings.append(
                Problem(
                    number,
                    None,
                    next((clean_text(v) for v in values if v is not None and clean_text(v)), None),
                    _("skipped: not a row of the table (a title, total or legend)"),
                    data.name,
                )
            )
            continue
        if existing and cells.get(key_name) is not None:
            before = existing.get(fold_case(clean_text(_key_text(target, cells[key_name]))))
            if before:
                cells = {**before, **cells}
        result.append((number, cells))
    rows.sheets[target.sheet.name] = result
    return rows


def _key_readable(target: Target, name: str, raw: Any) -> bool:
    """Whether a key cell holds a key ("Celkem" in a number column does not)."""
    if raw is None:
        return False
    try:
        return target.column(name).parse(raw) is not None
    except CellError:
        return False


def _key_text(target: Target, raw: Any) -> Any:
    try:
        return target.column(target.sheet.key[0]).parse(raw)
    except CellError:
        return raw


def _in_users_terms(
    exc: ImportRefusedError, mapping: Mapping, *, sheet: str, source: str
) -> ImportRefusedError:
    """The problems as the user's file names things: its sheet and its column names."""
    return ImportRefusedError(
        _problems_in_users_terms(exc.problems, mapping, sheet=sheet), source=source
    )


def _problems_in_users_terms(
    problems: list[Problem], mapping: Mapping, *, sheet: str
) -> list[Problem]:
    """Problems and warnings of the register's sheet, named by the user's sheet and columns."""
    labels = {mapping.target.column(c.field).header: c.label for c in mapping.columns if c.field}
    return [
        dataclasses.replace(p, sheet=sheet, column=labels.get(p.column or "", p.column))
        if p.sheet == mapping.target.sheet.name
        else p
        for p in problems
    ]


def mapping_write(
    *,
    data: SheetData,
    mapping: Mapping,
    plan: Plan,
    dry_run: bool = False,
    create_missing: bool = False,
    source_name: str,
    label: str = "",
) -> ImportReport:
    """Check the mapping, then import the mapped rows (all or nothing; see module doc)."""
    mapping_check(mapping, source=source_name)
    rows = mapping_rows(data, mapping, source=source_name, plan=plan)
    try:
        with change_set_open(channel=Channel.IMPORT, label=(label or source_name)[:255]):
            report = plan_rows_write(
                rows=rows, plan_slug=plan.slug, dry_run=dry_run, create_missing=create_missing
            )
    except ImportRefusedError as exc:
        raise _in_users_terms(exc, mapping, sheet=data.name, source=source_name) from None
    report.warnings = _problems_in_users_terms(report.warnings, mapping, sheet=data.name)
    return report


def table_import(
    *,
    path: Path,
    plan: Plan,
    register: str | None,
    mapping: Any = None,
    mapping_source: str = "",
    sheet: str | None = None,
    dry_run: bool = False,
    create_missing: bool = False,
    source_name: str | None = None,
    label: str = "",
) -> TableImport:
    """Import one table of ``path`` into the register ``register`` (guessed when None).

    ``mapping`` is a mapping as data (a YAML file's, a form's): it is checked against the
    table and, once the import is written, saved for the plan and the table's headers.
    Without it, the mapping saved for these headers is used; without that,
    :class:`MappingNeededError` carries the proposal and nothing is written.
    """
    name = source_name or path.name
    tables = read_tables(path, source_name=name)
    if register is None and isinstance(mapping, dict) and mapping.get("register") in TARGETS:
        register = mapping["register"]  # a mapping file names its register
    target = TARGETS[register] if register else None
    data, chosen = table_pick(tables, target, sheet=sheet)
    # A mapping given needs only the table's header from the proposal, not its value maps.
    proposal = mapping_propose(data, chosen, plan=plan, values=mapping is None)
    used = None
    if mapping is not None:
        confirmed = mapping_from_dict(mapping, proposal, source=mapping_source or name)
    else:
        used = saved_mapping_find(plan=plan, register=chosen.code, signature=proposal.signature)
        if used is None:
            raise MappingNeededError(proposal, source=name)
        confirmed = mapping_from_dict(used.mapping, proposal, source=name)
    report = mapping_write(
        data=data,
        mapping=confirmed,
        plan=plan,
        dry_run=dry_run,
        create_missing=create_missing,
        source_name=name,
        label=label,
    )
    saved = None
    if mapping is not None and not dry_run:
        saved = saved_mapping_save(
            plan=plan,
            register=chosen.code,
            signature=proposal.signature,
            mapping=mapping_dict(confirmed),
            source_name=name,
        )
    return TableImport(report, confirmed, used, saved)
