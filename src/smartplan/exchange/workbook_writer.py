"""The whole plan as one workbook: an explanation sheet, the plan sheet, one sheet per
register with Czech headers, real number and date cells, a frozen header row, readable
widths and drop-down lists for coded columns."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

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


def row_append(ws: Worksheet, values: list[Any], *, row: int) -> None:
    """``ws.append(values)``, which becomes row number ``row``, with every text kept as
    text (see :func:`text_cell`)."""
    try:
        ws.append(values)
    except IllegalCharacterError:  # rare: cleaned only then, the usual row costs nothing
        values = [xml_text(value) for value in values]
        ws.append(values)
    for index, value in enumerate(values, start=1):
        if text_at_risk(value):
            text_cell(ws.cell(row=row, column=index))


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


def write_register(ws: Worksheet, sheet: Sheet, rows: Any) -> None:
    """Header, rows, formats, widths and a frozen header row on ``ws``."""
    ws.append(sheet.headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    columns = sheet.columns
    samples: list[list[Any]] = [[] for _ in columns]
    for row, obj in enumerate(rows, start=2):
        values = [column.to_cell(obj) for column in columns]
        row_append(ws, values, row=row)
        for index, value in enumerate(values):
            if len(samples[index]) < 300:
                samples[index].append(value)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column_width(column, samples[index - 1])
        if column.number_format and ws.max_row > 1:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                if not isinstance(cell.value, str):
                    cell.number_format = column.number_format
    ws.freeze_panes = "A2"


class _Lists:
    """Values for drop-down lists, kept on a hidden sheet (Excel limits inline lists)."""

    def __init__(self, workbook: Workbook) -> None:
        self.ws = workbook.create_sheet(LISTS)
        self.ws.sheet_state = "hidden"
        self.columns: dict[str, str] = {}

    def range_for(self, name: str, values: Sequence[Any]) -> str:
        if name not in self.columns:
            column = get_column_letter(len(self.columns) + 1)
            self.ws[f"{column}1"] = name
            for row, value in enumerate(values, start=2):
                cell = self.ws[f"{column}{row}"]
                cell.value = xml_text(value)
                if text_at_risk(value):
                    text_cell(cell)
            last = max(len(values) + 1, 2)
            self.columns[name] = f"{quote_sheetname(LISTS)}!${column}$2:${column}${last}"
        return self.columns[name]


def _add_validation(ws: Worksheet, index: int, formula: str) -> None:
    letter = get_column_letter(index)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = "Vyberte hodnotu ze seznamu."
    validation.errorTitle = "Neznámá hodnota"
    validation.showErrorMessage = False  # warn via the list, but let people paste other text
    ws.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{max(ws.max_row, 2) + 500}")


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


def _dropdowns(ws: Worksheet, sheet: Sheet, plan: Plan | None, lists: _Lists) -> None:
    for index, name, values in dropdown_lists(sheet, plan):
        _add_validation(ws, index, lists.range_for(name, values))


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


def _explanation(ws: Worksheet, plan: Plan | None) -> None:
    for row, values in enumerate(explanation_rows(plan), start=1):
        row_append(ws, values, row=row)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[4]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCDE", EXPLANATION_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"


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


def _plan_sheet(ws: Worksheet, plan: Plan | None) -> None:
    ws.append(["Údaj", "Hodnota"])
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for row, (label, value) in enumerate(plan_facts(plan), start=2):
        row_append(ws, [label, value], row=row)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = "A2"


def plan_workbook(*, plan: Plan | None) -> Workbook:
    """The workbook of ``plan``; with ``plan=None`` the empty template."""
    workbook = Workbook()
    explanation = workbook.active
    assert explanation is not None
    explanation.title = EXPLANATION
    _explanation(explanation, plan)
    _plan_sheet(workbook.create_sheet(PLAN_SHEET), plan)
    lists = _Lists(workbook)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.name)
        write_register(ws, sheet, register_rows(sheet, plan) if plan is not None else [])
        _dropdowns(ws, sheet, plan, lists)
    workbook.move_sheet(LISTS, offset=len(workbook.sheetnames))
    return workbook


def plan_workbook_save(*, plan: Plan | None, target: Path | IO[bytes]) -> None:
    plan_workbook(plan=plan).save(target)
