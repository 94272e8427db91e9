"""Importing a plan workbook: its sheets become register rows for the plan writer.

This module knows the workbook's layout (title rows above the header, columns in any order,
total and legend rows, a stack table under another sheet name, the Plán sheet of labels and
values); checking and writing is :func:`exchange.plan_rows.plan_rows_write`, shared with the
demo fixture and the synthetic generator: every sheet checked, all problems listed, all or
nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.problems import Problem
from smartplan.exchange.columns import CellError, Sheet, clean_text, fold
from smartplan.exchange.plan_rows import ImportReport, PlanRows, Row, plan_rows_write
from smartplan.exchange.registers import SHEETS, STACK
from smartplan.exchange.table_files import read_tables
from smartplan.exchange.workbook_reader import SheetData
from smartplan.exchange.workbook_writer import PLAN_FIELDS, PLAN_SHEET

HEADER_SEARCH_ROWS = 30


def _header_key(text: Any) -> str:
    """Headers match regardless of case, accents, spacing and a trailing colon ("P.č.:")."""
    return fold(clean_text(text)).rstrip(":").strip()


def _find_header(sheet: Sheet, data: SheetData) -> tuple[int, dict[str, int]] | None:
    """The header row (title rows above it are skipped) and each column's position."""
    wanted = {_header_key(c.header): c.field for c in sheet.columns}
    required = {_header_key(c.header) for c in sheet.columns if c.required}
    for number, values in data.rows[:HEADER_SEARCH_ROWS]:
        positions = {}
        for index, value in enumerate(values):
            name = _header_key(value)
            if name in wanted and wanted[name] not in positions:
                positions[wanted[name]] = index
        found = {_header_key(c.header) for c in sheet.columns if c.field in positions}
        if required <= found and len(found) >= min(2, len(wanted)):
            return number, positions
    return None


def _not_a_row(sheet: Sheet, values: tuple[Any, ...], positions: dict[str, int]) -> bool:
    """A title, total or legend row: its key cell is not a key and little else is filled."""
    first_key = sheet.columns[0]
    if first_key.kind != "int" or first_key.field not in positions:
        return False
    raw = values[positions[first_key.field]] if positions[first_key.field] < len(values) else None
    try:
        key = first_key.parse(raw)
    except CellError:
        key = None
    if key is not None:
        return False
    filled = sum(1 for v in values if v is not None and clean_text(v))
    return filled <= 2


def _sheet_rows(sheet: Sheet, data: SheetData, rows: PlanRows) -> list[Row] | None:
    """The table of one sheet as rows of cells by column; None without a header row."""
    header = _find_header(sheet, data)
    if header is None:
        return None
    header_row, positions = header
    result: list[Row] = []
    for number, values in data.rows:
        if number <= header_row:
            continue
        if not any(v is not None and clean_text(v) for v in values):
            continue
        if _not_a_row(sheet, values, positions):
            rows.warnings.append(
                Problem(
                    number,
                    None,
                    clean_text(values[0]) if values else None,
                    _("skipped: not a row of the table (a title, total or legend)"),
                    sheet.name,
                )
            )
            continue
        result.append(
            (
                number,
                {
                    name: values[index] if index < len(values) else None
                    for name, index in positions.items()
                },
            )
        )
    return result


def _plan_values(data: SheetData) -> dict[str, Any]:
    labels = {fold(label): (attr, kind) for label, attr, kind in PLAN_FIELDS}
    values: dict[str, Any] = {}
    for _number, row in data.rows:
        if len(row) >= 1 and fold(clean_text(row[0])) in labels:
            attr, kind = labels[fold(clean_text(row[0]))]
            raw = row[1] if len(row) > 1 else None
            values[attr] = (raw if kind == "int" else clean_text(raw)) if raw is not None else None
    return values


def workbook_rows(path: Path, *, source_name: str | None = None) -> tuple[PlanRows, list[Problem]]:
    """The plan in a workbook as register rows, and the sheets without a header row.

    ``source_name`` is the file's name as the user gave it (the upload's name); messages
    use it instead of the server's copy."""
    data = read_tables(path, source_name=source_name)
    rows = PlanRows(source=source_name or path.name)
    if PLAN_SHEET in data:
        rows.plan_values = _plan_values(data[PLAN_SHEET])
    if STACK.name not in data:
        # A stack table as offices keep it: any sheet whose header has the report's columns.
        for name, sheet_data in list(data.items()):
            if name not in {s.name for s in SHEETS} and _find_header(STACK, sheet_data):
                data[STACK.name] = data.pop(name)
                break
    known = {sheet.name for sheet in SHEETS} | {PLAN_SHEET, "Vysvětlivky", "Číselníky"}
    rows.warnings = [
        Problem(None, None, None, _("unknown sheet; not imported"), name)
        for name in data
        if name not in known
    ]
    problems = []
    for sheet in SHEETS:
        if sheet.name not in data:
            continue
        sheet_rows = _sheet_rows(sheet, data[sheet.name], rows)
        if sheet_rows is None:
            missing = ", ".join(c.header for c in sheet.columns if c.required)
            problems.append(
                Problem(
                    None,
                    None,
                    None,
                    _("no header row with the columns %(columns)s") % {"columns": missing},
                    sheet.name,
                )
            )
            continue
        rows.sheets[sheet.name] = sheet_rows
    return rows, problems


def workbook_import(
    *,
    path: Path,
    plan_slug: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    create_missing: bool = False,
    label: str = "",
    source_name: str | None = None,
) -> ImportReport:
    """Import a plan workbook. Raises ImportRefusedError with every problem; then nothing
    is written. With ``dry_run`` the report says what would happen and nothing is kept.
    The file's changes are one change set of the history, named ``label`` (the name it was
    uploaded under) or the file's name. ``source_name`` names the file in messages (the
    name it was uploaded under; by default the file's own name)."""
    rows, layout_problems = workbook_rows(path, source_name=source_name)
    with change_set_open(channel=Channel.IMPORT, label=label or source_name or path.name):
        return plan_rows_write(
            rows=rows,
            plan_slug=plan_slug,
            dry_run=dry_run,
            replace=replace,
            create_missing=create_missing,
            problems=layout_problems,
        )
