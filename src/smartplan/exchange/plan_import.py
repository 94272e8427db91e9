"""Importing a plan workbook: its sheets become register rows for the plan writer.

This module knows the workbook's layout (title rows above the header, columns in any order,
total and legend rows, section headings, a stack table under another sheet name, the Plán
sheet of labels and values) and finds the annual report's own layouts on any sheet or in
any table of a document (Appendix 3's fulfilment in :mod:`exchange.fulfilment_layout`,
Appendix 1's indicator cards in :mod:`exchange.indicator_cards`, completed for the plan by
:mod:`exchange.layout_rows`); checking and writing is
:func:`exchange.plan_rows.plan_rows_write`, shared with the demo fixture and the synthetic
generator: every sheet checked, all problems listed, all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.problems import Problem
from smartplan.exchange.columns import CellError, Sheet, clean_text, fold
from smartplan.exchange.fulfilment_layout import fulfilment_rows
from smartplan.exchange.indicator_cards import card_rows
from smartplan.exchange.layout_rows import LayoutRows, layout_rows_complete
from smartplan.exchange.plan_rows import ImportReport, PlanRows, Row, plan_rows_write
from smartplan.exchange.registers import MEASUREMENTS, SHEETS, STACK, STACK_EXTRA
from smartplan.exchange.stack_sections import heading_year, is_heading, spanning_text
from smartplan.exchange.table_files import read_tables
from smartplan.exchange.workbook_reader import SheetData
from smartplan.exchange.workbook_writer import PLAN_FIELDS, PLAN_SHEET
from smartplan.plans.models import Plan

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


def _is_item(sheet: Sheet, values: tuple[Any, ...], positions: dict[str, int]) -> bool:
    """A row whose key cell holds a key (an item of the table)."""
    first_key = sheet.columns[0]
    index = positions.get(first_key.field)
    if first_key.kind != "int" or index is None or index >= len(values):
        return False
    try:
        return first_key.parse(values[index]) is not None
    except CellError:
        return False


def _heading(sheet: Sheet, values: tuple[Any, ...], positions: dict[str, int]) -> str | None:
    """The text of a section heading row (see :mod:`exchange.stack_sections`), else None."""
    if sheet.columns[0].kind != "int" or _is_item(sheet, values, positions):
        return None
    text = spanning_text(values)
    return text if text is not None and is_heading(text) else None


def _streamed_rows(data: SheetData, header_row: int, positions: dict[str, int]) -> Iterator[Row]:
    """The rows below the header of a streamed sheet, as rows of cells by column.

    Only for a register whose first column is not a number: such a table has no section
    headings, and no title, total or legend row is told apart (see :func:`_not_a_row`)."""
    columns = tuple(positions.items())
    for number, values in data.all_rows():
        if number <= header_row or not any(v is not None and clean_text(v) for v in values):
            continue
        width = len(values)
        yield number, {name: values[i] if i < width else None for name, i in columns}


def _sheet_rows(
    sheet: Sheet, data: SheetData, rows: PlanRows, years: dict[str, tuple[int, int]] | None = None
) -> list[Row] | None:
    """The table of one sheet as rows of cells by column; None without a header row.

    A row whose one text spans the table just above an item is a section heading (see
    :mod:`exchange.stack_sections`); when it names a year, ``years`` gets the year added of
    each item below it, by the item's key as written. A streamed sheet's rows go to
    ``rows.streams`` instead, read as the writer uses them (the list returned is empty)."""
    header = _find_header(sheet, data)
    if header is None:
        return None
    header_row, positions = header
    if data.stream is not None and sheet.columns[0].kind != "int":
        rows.stream_add(sheet.name, _streamed_rows(data, header_row, positions))
        return []
    result: list[Row] = []
    body = [
        (number, values)
        for number, values in data.all_rows()  # every row, even of a sheet read as streamed
        if number > header_row and any(v is not None and clean_text(v) for v in values)
    ]
    year: int | None = None
    for index, (number, values) in enumerate(body):
        heading = _heading(sheet, values, positions)
        if heading is not None:
            # A heading stands above items (perhaps under another heading), not at the end.
            following = next(
                (v for _n, v in body[index + 1 :] if _heading(sheet, v, positions) is None), None
            )
            if following is not None and _is_item(sheet, following, positions):
                year = heading_year(heading)
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
        cells = {
            name: values[index] if index < len(values) else None
            for name, index in positions.items()
        }
        if year is not None and years is not None:
            years[clean_text(cells.get(sheet.columns[0].field))] = (number, year)
        result.append((number, cells))
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
    use it instead of the server's copy. Rows of the report's layouts (Appendices 1 and 3)
    are as the file gives them; :func:`workbook_import` completes them for the plan."""
    rows, problems, _layouts = _workbook_layouts(path, source_name=source_name)
    return rows, problems


def _workbook_layouts(
    path: Path, *, source_name: str | None
) -> tuple[PlanRows, list[Problem], list[LayoutRows]]:
    # The measurements (a million rows in a national plan) are read as they are written.
    data = read_tables(path, source_name=source_name, stream=frozenset({MEASUREMENTS.name}))
    rows = PlanRows(source=source_name or path.name)
    if PLAN_SHEET in data:
        rows.plan_values = _plan_values(data[PLAN_SHEET])
    register_names = {s.name for s in SHEETS}
    known = register_names | {PLAN_SHEET, "Vysvětlivky", "Číselníky"}
    stack_sheets = [STACK.name] if STACK.name in data else []
    layouts: list[LayoutRows] = []
    for name, sheet_data in data.items():
        if name in known:
            continue
        # A table as offices keep it, on any sheet (or in any table of a document): a stack
        # table with the report's columns, Appendix 3's fulfilment, Appendix 1's cards.
        if _find_header(STACK, sheet_data):
            stack_sheets.append(name)
            continue
        found = fulfilment_rows(name, sheet_data.rows) or card_rows(name, sheet_data.rows)
        if found is not None:
            layouts.append(found)
    rows.warnings = [
        Problem(None, None, None, _("unknown sheet; not imported"), name)
        for name in data
        if name not in known
        and name not in stack_sheets
        and name not in {layout.source for layout in layouts}
    ]
    # What the reader noticed (a value taken from a link to another file, …), per cell.
    rows.warnings.extend(w for sheet_data in data.values() for w in sheet_data.warnings)
    problems = []
    years: dict[str, tuple[int, int]] = {}
    for sheet in SHEETS:
        sources = stack_sheets if sheet is STACK else [sheet.name] if sheet.name in data else []
        for source in sources:
            # A stack table elsewhere is reported as the stack sheet, as before.
            sheet_data = data[source]
            if sheet is STACK:
                sheet_data = SheetData(STACK.name, sheet_data.rows, stream=sheet_data.stream)
            sheet_rows = _sheet_rows(sheet, sheet_data, rows, years)
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
            rows.sheets.setdefault(sheet.name, []).extend(sheet_rows)
    if years:
        layouts.append(_stack_years(years, rows))
    for layout in layouts:
        rows.sheets.setdefault(layout.register, []).extend(layout.rows)
        rows.warnings.extend(layout.warnings)
        problems.extend(layout.problems)
    return rows, problems, layouts


def _stack_years(years: dict[str, tuple[int, int]], rows: PlanRows) -> LayoutRows:
    """The years section headings give, as rows of the stack's extra sheet (which, when the
    file has it too, says the last word); the item's other extra data are kept."""
    given = {clean_text(cells.get("number")) for _n, cells in rows.sheets.get(STACK_EXTRA.name, [])}
    return LayoutRows(
        STACK_EXTRA.name,
        STACK.name,
        [
            (row, {"number": number, "year_added": year})
            for number, (row, year) in years.items()
            if number not in given
        ],
        keep=("progress_note",),
    )


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
    rows, layout_problems, layouts = _workbook_layouts(path, source_name=source_name)
    plan = Plan.objects.filter(slug=plan_slug or rows.plan_values.get("slug") or "").first()
    if plan is not None:
        layout_problems += layout_rows_complete(layouts=layouts, plan=plan)
    else:
        layout_problems += [
            Problem(
                None,
                None,
                None,
                _("this table of the annual report updates an existing plan: name the plan"),
                layout.source,
            )
            for layout in layouts
            if layout.register != STACK_EXTRA.name
        ]
    with change_set_open(channel=Channel.IMPORT, label=label or source_name or path.name):
        return plan_rows_write(
            rows=rows,
            plan_slug=plan_slug,
            dry_run=dry_run,
            replace=replace,
            create_missing=create_missing,
            problems=layout_problems,
        )
