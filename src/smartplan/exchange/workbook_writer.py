"""The whole plan as one workbook: an explanation sheet, the plan sheet, one sheet per
register with Czech headers, real number and date cells, a frozen header row, readable
widths and drop-down lists for coded columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from smartplan.exchange.columns import Column, Sheet
from smartplan.exchange.formula_guard import TRIGGERS
from smartplan.exchange.registers import REF_TARGETS, SHEETS
from smartplan.plans.models import Plan

EXPLANATION = "Vysvětlivky"
PLAN_SHEET = "Plán"
LISTS = "Číselníky"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")

# (label, attribute, kind) of the plan sheet's rows.
PLAN_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("Kód plánu", "slug", "text"),
    ("Název", "name", "text"),
    ("Druh území", "territory_kind", "text"),
    ("Území", "territory_name", "text"),
    ("Kód RÚIAN", "ruian_code", "text"),
    ("Vlastník (zkratka organizace)", "owner", "ref"),
    ("Koordinátor (zkratka organizace)", "coordinator", "ref"),
    ("Od roku", "period_from", "int"),
    ("Do roku", "period_to", "int"),
    ("Koncepce", "concept_name", "text"),
    ("Web koncepce", "concept_url", "text"),
    ("Vize", "vision", "text"),
    ("Popis", "description", "text"),
    # The open data catalogue's facts about the plan (lkod).
    ("Kontakt pro otevřená data", "open_data_contact_name", "text"),
    ("E-mail kontaktu pro otevřená data", "open_data_contact_email", "text"),
    ("Právní předpis (ELI)", "legal_act_iri", "text"),
    ("Podmínky užití: autorské dílo", "terms_author_work", "text"),
    ("Podmínky užití: databáze jako autorské dílo", "terms_database_work", "text"),
    ("Podmínky užití: zvláštní právo pořizovatele databáze", "terms_database_right", "text"),
    ("Podmínky užití: osobní údaje", "terms_personal_data", "text"),
)


def text_at_risk(value: Any) -> bool:
    """Whether ``value`` is a text that needs marking as text: openpyxl would write it as
    something else, or a spreadsheet would run it when a user edits the cell.

    openpyxl makes a string starting with ``=`` a formula and ``#N/A`` and the like an
    error; a text starting with a trigger of :mod:`~smartplan.exchange.formula_guard`
    also needs the quote prefix. Only the first character is looked at: this runs for
    every cell of every export."""
    return isinstance(value, str) and value != "" and (value[0] in TRIGGERS or value[0] == "#")


def text_cell(cell: Cell | MergedCell) -> None:
    """``cell``, holding a text, stays a text cell: a string (never a formula or an error)
    with the quote prefix Excel and LibreOffice keep when a user edits the cell, so that
    "=HYPERLINK(…)" in a description is shown, stored and read back as the text it is."""
    cell.data_type = "s"
    cell.quotePrefix = True


def xml_text(value: Any) -> Any:
    """``value`` without the control characters XML cannot hold (a text typed in the
    editing interface may have them; XLSX and ODS cannot): the export must not fail."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def register_rows(sheet: Sheet, plan: Plan | None) -> QuerySet[Any]:
    """The sheet's rows of ``plan`` (of every plan with None), in the sheet's order."""
    queryset: QuerySet[Any] = sheet.model._default_manager.all()
    if plan is not None:
        queryset = queryset.filter(plan=plan)
    if sheet.select_related:
        queryset = queryset.select_related(*sheet.select_related)
    if sheet.prefetch_related:
        queryset = queryset.prefetch_related(*sheet.prefetch_related)
    return queryset.order_by(*sheet.order_by, "pk")


def column_width(column: Column, values: Sequence[Any]) -> float:
    """The column's width in characters: its longest header or value, 10 to 60."""
    longest = max([len(column.header)] + [len(str(v)) for v in values[:300] if v is not None])
    return float(min(max(longest + 2, 10), 60))


def dropdown_lists(sheet: Sheet, plan: Plan | None) -> list[tuple[int, str, list[Any]]]:
    """(column number, list name, values) of the sheet's columns offered as drop-down lists:
    the choices of coded columns, stack states, and the plan's areas and projects."""
    found: list[tuple[int, str, list[Any]]] = []
    for index, column in enumerate(sheet.columns, start=1):
        if column.kind == "choice":
            labels: list[Any] = [label for _value, label in column.choices]
            found.append((index, f"{sheet.name}: {column.header}", labels))
        elif column.field == "status" and sheet.name == "Zásobník projektů":
            found.append((index, "Stav zásobníku", [1, 2, 3, 4]))
        elif column.kind == "ref" and column.ref in {"areas", "projects", "projects_by_name"}:
            values: list[Any] = []
            if plan is not None:
                model, attr = REF_TARGETS[column.ref]
                values = list(
                    model._default_manager.filter(plan=plan)
                    .order_by(attr)
                    .values_list(attr, flat=True)
                )
                if column.ref == "projects_by_name":
                    values = [str(v).upper() for v in values]
            found.append((index, column.ref, values))
    return found


def explanation_rows(plan: Plan | None) -> list[list[Any]]:
    """The explanation sheet: a title, what the workbook is, and every sheet's columns
    (their meaning, whether required, whether part of the row's key) from row 4 on."""
    title = plan.name if plan else "Šablona akčního plánu"
    rows: list[list[Any]] = [
        [f"smartplan – {title}"],
        [
            "Každý list je jedna evidence plánu. Řádky se párují podle klíčových sloupců "
            "(čísla, kódy, názvy), takže opakovaný import nic nezmění. Čísla pište jako čísla "
            "(desetinná čárka je v pořádku), data jako datum (5. 2. 2020)."
        ],
        [],
        ["List", "Sloupec", "Význam", "Povinné", "Klíč řádku"],
        [PLAN_SHEET, "", "Údaje o plánu: jeden údaj na řádek (Údaj, Hodnota).", "", ""],
    ]
    for sheet in SHEETS:
        rows.append([sheet.name, "", sheet.description, "", ""])
        for column in sheet.columns:
            rows.append(
                [
                    sheet.name,
                    column.header,
                    column.help,
                    "ano" if column.required else "",
                    "ano" if column.field in sheet.key else "",
                ]
            )
    return rows


EXPLANATION_WIDTHS = (24, 30, 90, 9, 10)


def plan_facts(plan: Plan | None) -> list[tuple[str, Any]]:
    """The plan sheet's rows below its header: (label, value), None for no value."""
    facts: list[tuple[str, Any]] = []
    for label, attribute, kind in PLAN_FIELDS:
        value: Any = None
        if plan is not None:
            value = getattr(plan, attribute)
            if kind == "ref":
                value = value.short_name if value is not None else None
            value = value if value != "" else None
        facts.append((label, value))
    return facts


# --- writing, in openpyxl's write-only mode -----------------------------------------------
#
# A write-only worksheet writes each row to a temporary file as it is appended: memory stays
# that of one row however long the sheet (a plan 100 times the demo, 982 452 measurements:
# 149 s and 4.7 GB before, see the module's tests and benchmarks/export_stream.py). What
# must be known before the first row (column widths, the frozen header) is set first;
# widths come from the first rows, held back until ``WIDTH_SAMPLE`` rows are read. Drop-down
# lists (data validations) are written after the rows, so they are added at the end.

WIDTH_SAMPLE = 300


def _styled(ws: Any, value: Any, *, font: Font | None = None, fill: bool = False) -> Cell:
    cell = WriteOnlyCell(ws, value=xml_text(value))
    if font is not None:
        cell.font = font
    if fill:
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if text_at_risk(value):
        text_cell(cell)
    return cell


class _RowCells:
    """The cells of one row: values as they are, texts at risk as text cells, numbers and
    dates of formatted columns in the column's one reused cell (a write-only sheet writes
    the row as soon as it is appended, so the cell is free again for the next row)."""

    def __init__(self, ws: Any, formats: Sequence[str]) -> None:
        self.ws = ws
        self.formatted: list[Cell | None] = []
        for number_format in formats:
            cell: Cell | None = None
            if number_format:
                cell = WriteOnlyCell(ws)
                cell.number_format = number_format
            self.formatted.append(cell)

    def __call__(self, values: Sequence[Any]) -> list[Any]:
        row = list(values)
        formatted = self.formatted
        for index, value in enumerate(row):
            if value is None:
                continue
            if type(value) is str:
                if value[0] in TRIGGERS or value[0] == "#":
                    row[index] = _styled(self.ws, value)
                elif ILLEGAL_CHARACTERS_RE.search(value):
                    row[index] = xml_text(value)
            else:
                cell = formatted[index]
                if cell is not None:
                    cell.value = value
                    row[index] = cell
        return row


def _header(ws: Any, values: Sequence[Any], *, font: Font = HEADER_FONT) -> list[Cell]:
    return [_styled(ws, value, font=font, fill=True) for value in values]


def write_register(ws: Any, sheet: Sheet, rows: Any, *, plan: Plan | None = None) -> int:
    """Header, rows, formats, widths and a frozen header row on the write-only sheet ``ws``;
    ``rows`` are the sheet's model instances, or its queryset (then read as values from the
    cursor). The number of rows written, the header included."""
    widths, values = sized_rows(sheet, rows)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append(_header(ws, sheet.headers))
    cells = _RowCells(ws, [column.number_format for column in sheet.columns])
    written = 1
    for row in values:
        ws.append(cells(row))
        written += 1
    return written


def sized_rows(sheet: Sheet, rows: Any) -> tuple[list[float], Iterator[list[Any]]]:
    """Each column's width and all of the sheet's rows as cell values (:func:`cell_rows`).
    The widths come from the first :data:`WIDTH_SAMPLE` rows, the only ones held: a
    streamed sheet sets its widths before its first row."""
    values = cell_rows(sheet, rows)
    first = list(islice(values, WIDTH_SAMPLE))
    widths = [
        column_width(column, [row[index] for row in first])
        for index, column in enumerate(sheet.columns)
    ]
    return widths, chain(first, values)


def cell_rows(sheet: Sheet, rows: Any) -> Iterator[list[Any]]:
    """The sheet's rows as cell values (what :meth:`Column.to_cell` gives): from the cursor
    as values when ``rows`` is a queryset the sheet can read so, else from instances."""
    from smartplan.exchange.register_stream import raw_row_chunks, register_values, sheet_paths

    columns = sheet.columns
    if isinstance(rows, QuerySet):
        selected = register_values(sheet, rows)
        paths = sheet_paths(sheet)
        if selected is not None and paths is not None:
            converters: list[tuple[int, Any]] = []
            position = 0
            for column, path in zip(columns, paths, strict=True):
                converters.append((position if path else 0, _cell_converter(column, path)))
                if path:
                    position += 1
            for chunk in raw_row_chunks(selected):
                for raw in chunk:
                    yield [convert(raw[at]) for at, convert in converters]
            return
        rows = rows.iterator(chunk_size=2000)
    for obj in rows:
        yield [column.to_cell(obj) for column in columns]


def _none(_value: Any) -> Any:
    return None


def _same(value: Any) -> Any:
    return value


def _cell_converter(column: Column, path: str) -> Any:
    """A raw database value of ``column`` as :meth:`Column.to_cell` gives it."""
    if path == "":
        return _none
    kind = column.kind
    if kind == "decimal":
        return lambda value: None if value is None else float(value)
    if kind == "date":
        memo: dict[Any, Any] = {}

        def date(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            found = memo.get(value)
            if found is None:
                if len(memo) > 50_000:
                    memo.clear()
                found = memo[value] = dt.date.fromisoformat(value[:10])
            return found

        return date
    if kind == "bool":
        return lambda value: None if value is None else bool(value)
    if kind == "choice":
        labels = dict(column.choices)
        return lambda value: labels.get(value, value)
    if kind == "text":
        return lambda value: value or None
    return _same


class _Lists:
    """Values for drop-down lists, kept on a hidden sheet (Excel limits inline lists),
    written last."""

    def __init__(self) -> None:
        self.lists: dict[str, Sequence[Any]] = {}

    def range_for(self, name: str, values: Sequence[Any]) -> str:
        if name not in self.lists:
            column = get_column_letter(len(self.lists) + 1)
            self.lists[name] = values
            last = max(len(values) + 1, 2)
            return f"{quote_sheetname(LISTS)}!${column}$2:${column}${last}"
        column = get_column_letter(list(self.lists).index(name) + 1)
        last = max(len(self.lists[name]) + 1, 2)
        return f"{quote_sheetname(LISTS)}!${column}$2:${column}${last}"

    def write(self, workbook: Workbook) -> None:
        ws = workbook.create_sheet(LISTS)
        ws.sheet_state = "hidden"
        lists = list(self.lists.values())
        ws.append([_styled(ws, name) for name in self.lists])
        for index in range(max((len(values) for values in lists), default=0)):
            ws.append(
                [_styled(ws, values[index]) if index < len(values) else None for values in lists]
            )


def _add_validation(ws: Any, index: int, formula: str, last_row: int) -> None:
    letter = get_column_letter(index)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = "Vyberte hodnotu ze seznamu."
    validation.errorTitle = "Neznámá hodnota"
    validation.showErrorMessage = False  # warn via the list, but let people paste other text
    validation.add(f"{letter}2:{letter}{max(last_row, 2) + 500}")
    ws.data_validations.append(validation)


def _explanation(ws: Any, plan: Plan | None) -> None:
    for letter, width in zip("ABCDE", EXPLANATION_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    for row, values in enumerate(explanation_rows(plan), start=1):
        if row == 1:
            ws.append([_styled(ws, value, font=Font(bold=True, size=14)) for value in values])
        elif row == 4:
            ws.append(_header(ws, values))
        else:
            ws.append([_styled(ws, value) for value in values])


def _plan_sheet(ws: Any, plan: Plan | None) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = "A2"
    ws.append(_header(ws, ["Údaj", "Hodnota"]))
    for label, value in plan_facts(plan):
        ws.append([_styled(ws, label), _styled(ws, value)])


def plan_workbook(*, plan: Plan | None) -> Workbook:
    """The (write-only) workbook of ``plan``; with ``plan=None`` the empty template. It can
    be saved once."""
    workbook = Workbook(write_only=True)
    _explanation(workbook.create_sheet(EXPLANATION), plan)
    _plan_sheet(workbook.create_sheet(PLAN_SHEET), plan)
    lists = _Lists()
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.name)
        rows: Any = register_rows(sheet, plan) if plan is not None else []
        last_row = write_register(ws, sheet, rows)
        for index, name, values in dropdown_lists(sheet, plan):
            _add_validation(ws, index, lists.range_for(name, values), last_row)
    lists.write(workbook)
    return workbook


def plan_workbook_save(*, plan: Plan | None, target: Path | IO[bytes]) -> None:
    plan_workbook(plan=plan).save(target)
