"""The plan's workbook and single registers as LibreOffice Calc (.ods) spreadsheets.

Czech offices often keep their tables in LibreOffice, so the export that can be edited and
imported back exists in ODS too, with the same sheets, headers and values as the XLSX of
:mod:`~smartplan.exchange.workbook_writer` (the rows come from the same functions): dates
are date cells, numbers number cells, booleans boolean cells, and every text a string
cell, never a formula (ODF keeps formulas in an attribute no string cell has), so a text
such as ``=HYPERLINK(…)`` is shown and read back as the text it is. Header rows are bold
on the XLSX's header colour and frozen, columns as wide as the XLSX's, coded columns offer
the XLSX's drop-down lists (content validations reading the hidden lists sheet).

The document is built with odfpy, which keeps it in memory until it is saved (the plan's
workbook is held whole by openpyxl too). odfpy's elements are heavier than openpyxl's
cells: a generated plan of 3 200 rows took 3.1 s and 42 MB at peak, its XLSX 1.4 s and
8 MB (runs of empty cells are written as one repeated cell).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from odf import config, number, style, table, teletype, text
from odf.opendocument import OpenDocumentSpreadsheet
from openpyxl.utils import get_column_letter

from smartplan.exchange.columns import Sheet
from smartplan.exchange.registers import SHEETS
from smartplan.exchange.workbook_writer import (
    EXPLANATION,
    EXPLANATION_WIDTHS,
    LISTS,
    PLAN_SHEET,
    column_width,
    dropdown_lists,
    explanation_rows,
    plan_facts,
    register_rows,
    xml_text,
)
from smartplan.plans.models import Plan

CM_PER_CHARACTER = 0.2  # an XLSX width unit (one character of the default font) in LibreOffice
HEADER_COLOUR = "#DDE7F3"
SAMPLE_ROWS = 300
EMPTY_LIST_ROWS = 500  # rows below the data offering the drop-down lists, as in the XLSX


class _Document:
    """An ODS spreadsheet with the few styles the exports use."""

    def __init__(self) -> None:
        self.doc = OpenDocumentSpreadsheet()
        date_style = number.DateStyle(name="date-cz")
        date_style.addElement(number.Day())
        date_style.addElement(number.Text(text=". "))
        date_style.addElement(number.Month())
        date_style.addElement(number.Text(text=". "))
        date_style.addElement(number.Year(style="long"))
        self.doc.automaticstyles.addElement(date_style)
        self.date = self._style(
            style.Style(name="date", family="table-cell", datastylename="date-cz")
        )
        self.header = style.Style(name="header", family="table-cell")
        self.header.addElement(style.TextProperties(fontweight="bold"))
        self.header.addElement(
            style.TableCellProperties(backgroundcolor=HEADER_COLOUR, wrapoption="wrap")
        )
        self._style(self.header)
        self.title = style.Style(name="title", family="table-cell")
        self.title.addElement(style.TextProperties(fontweight="bold", fontsize="14pt"))
        self._style(self.title)
        self.hidden = style.Style(name="hidden", family="table")
        self.hidden.addElement(style.TableProperties(display="false"))
        self._style(self.hidden)
        self.widths: dict[float, style.Style] = {}
        self.frozen: dict[str, int] = {}  # sheet name: rows kept in view when scrolling

    def _style(self, found: Any) -> Any:
        self.doc.automaticstyles.addElement(found)
        return found

    def width(self, characters: float) -> Any:
        """The column style of a column ``characters`` wide (shared by equal widths)."""
        if characters not in self.widths:
            found = style.Style(name=f"col{len(self.widths) + 1}", family="table-column")
            found.addElement(
                style.TableColumnProperties(columnwidth=f"{characters * CM_PER_CHARACTER:.2f}cm")
            )
            self.widths[characters] = self._style(found)
        return self.widths[characters]

    def sheet(
        self, name: str, widths: Sequence[float], *, hidden: bool = False, frozen: int = 0
    ) -> Any:
        """A new sheet with columns of these widths (in characters, as the XLSX has them)
        and its first ``frozen`` rows kept in view (the XLSX's frozen header)."""
        if frozen:
            self.frozen[name] = frozen
        found = table.Table(name=name, stylename=self.hidden if hidden else None)
        for characters in widths:
            found.addElement(table.TableColumn(stylename=self.width(characters)))
        self.doc.spreadsheet.addElement(found)
        return found

    def row(
        self,
        sheet: Any,
        values: Iterable[Any],
        *,
        cell_style: Any = None,
        validations: dict[int, str] | None = None,
    ) -> None:
        """A row of cells; ``validations`` names the drop-down list of a column (0-based)."""
        row = table.TableRow()
        lists = validations or {}
        empty = 0  # empty cells not yet written: one repeated cell for a run of them
        for index, value in enumerate(values):
            listed = index in lists
            if (value is None or value == "") and cell_style is None and not listed:
                empty += 1
                continue
            if empty:
                row.addElement(self._empty(empty))
                empty = 0
            cell = self.cell(value, cell_style)
            if listed:
                cell.setAttribute("contentvalidationname", lists[index])
            row.addElement(cell)
        sheet.addElement(row)  # a row's trailing empty cells are left out

    @staticmethod
    def _empty(count: int) -> Any:
        if count == 1:
            return table.TableCell()
        return table.TableCell(numbercolumnsrepeated=count)

    def empty_rows(self, sheet: Any, count: int, width: int, validations: dict[int, str]) -> None:
        """``count`` empty rows whose list columns still offer their drop-down list, as the
        XLSX offers it 500 rows below the data: room to add rows in the spreadsheet."""
        if not validations:
            return
        row = table.TableRow(numberrowsrepeated=count)
        for index in range(width):
            if index in validations:
                row.addElement(table.TableCell(contentvalidationname=validations[index]))
            else:
                row.addElement(table.TableCell())
        sheet.addElement(row)

    def cell(self, value: Any, cell_style: Any = None) -> Any:
        """One cell: the value's own type, a text always a string cell."""
        attributes: dict[str, Any] = {}
        if cell_style is not None:
            attributes["stylename"] = cell_style
        if value is None or value == "":
            return table.TableCell(**attributes)
        if isinstance(value, bool):
            cell = table.TableCell(
                valuetype="boolean", booleanvalue="true" if value else "false", **attributes
            )
            cell.addElement(text.P(text="PRAVDA" if value else "NEPRAVDA"))
            return cell
        if isinstance(value, int | float | Decimal):
            shown = _number_text(value)
            cell = table.TableCell(valuetype="float", value=shown, **attributes)
            cell.addElement(text.P(text=shown.replace(".", ",")))
            return cell
        if isinstance(value, dt.date):
            if cell_style is None:
                attributes["stylename"] = self.date
            cell = table.TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
            cell.addElement(text.P(text=f"{value.day}. {value.month}. {value.year}"))
            return cell
        cell = table.TableCell(valuetype="string", **attributes)
        # One paragraph per line, as LibreOffice writes a cell of several lines.
        for line in xml_text(str(value)).split("\n"):
            paragraph = text.P()
            teletype.addTextToElement(paragraph, line)
            cell.addElement(paragraph)
        return cell

    def _view_settings(self) -> None:
        """Frozen header rows, as LibreOffice keeps them: a view's per-sheet split."""
        if not self.frozen:
            return
        tables = config.ConfigItemMapNamed(name="Tables")
        for name, rows in self.frozen.items():
            entry = config.ConfigItemMapEntry(name=name)
            for key, kind, value in (
                ("HorizontalSplitMode", "short", 0),
                ("VerticalSplitMode", "short", 2),
                ("HorizontalSplitPosition", "int", 0),
                ("VerticalSplitPosition", "int", rows),
                ("ActiveSplitRange", "short", 2),
                ("PositionLeft", "int", 0),
                ("PositionRight", "int", 0),
                ("PositionTop", "int", 0),
                ("PositionBottom", "int", rows),
            ):
                entry.addElement(config.ConfigItem(name=key, type=kind, text=str(value)))
            tables.addElement(entry)
        view = config.ConfigItemMapEntry()
        view.addElement(config.ConfigItem(name="ViewId", type="string", text="view1"))
        view.addElement(tables)
        views = config.ConfigItemMapIndexed(name="Views")
        views.addElement(view)
        settings = config.ConfigItemSet(name="ooo:view-settings")
        settings.addElement(views)
        self.doc.settings.addElement(settings)
        self.frozen = {}  # written once, however often the document is saved

    def write(self, target: Path | IO[bytes]) -> None:
        self._view_settings()
        if isinstance(target, Path):
            with target.open("wb") as out:
                self.doc.write(out)
        else:
            self.doc.write(target)


def _number_text(value: int | float | Decimal) -> str:
    """The number exactly as ODF's office:value wants it (a point, no exponent for decimals)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value) if isinstance(value, float) else str(value)


def _register_sheet(
    document: _Document,
    sheet: Sheet,
    rows: Iterable[Any],
    validations: dict[int, str] | None = None,
) -> None:
    """The register's sheet: its headers, then one row per object, as the XLSX has them;
    columns named in ``validations`` (0-based) offer their drop-down list."""
    columns = sheet.columns
    values = [[column.to_cell(obj) for column in columns] for obj in rows]
    widths = [
        column_width(column, [row[index] for row in values[:SAMPLE_ROWS]])
        for index, column in enumerate(columns)
    ]
    found = document.sheet(sheet.name, widths, frozen=1)
    document.row(found, sheet.headers, cell_style=document.header)
    for row in values:
        document.row(found, row, validations=validations)
    document.empty_rows(found, EMPTY_LIST_ROWS, len(columns), validations or {})


def register_ods_document(sheet: Sheet, rows: Iterable[Any]) -> _Document:
    """One register alone as an ODS spreadsheet."""
    document = _Document()
    _register_sheet(document, sheet, rows)
    return document


def plan_ods_document(*, plan: Plan | None) -> _Document:
    """The plan's workbook (the empty template with ``plan=None``) as an ODS spreadsheet."""
    document = _Document()
    explanation = document.sheet(EXPLANATION, EXPLANATION_WIDTHS, frozen=4)
    for number_, values in enumerate(explanation_rows(plan), start=1):
        header = document.title if number_ == 1 else document.header if number_ == 4 else None
        document.row(explanation, values, cell_style=header)
    facts = document.sheet(PLAN_SHEET, (34, 90), frozen=1)
    document.row(facts, ["Údaj", "Hodnota"], cell_style=document.header)
    for label, value in plan_facts(plan):
        document.row(facts, [label, value])
    _register_sheets(document, plan)
    return document


def _register_sheets(document: _Document, plan: Plan | None) -> None:
    """Every register's sheet, their drop-down lists (content validations reading the
    hidden lists sheet, which warn about other text but accept it, as in the XLSX), and
    the lists sheet last."""
    lists: dict[str, list[Any]] = {}
    per_sheet: list[dict[int, str]] = []
    for sheet in SHEETS:
        columns: dict[int, str] = {}
        for index, name, values in dropdown_lists(sheet, plan):
            lists.setdefault(name, values)
            columns[index - 1] = name
        per_sheet.append(columns)
    validations = table.ContentValidations()
    names: dict[str, str] = {}
    for position, (name, values) in enumerate(lists.items()):
        letter = get_column_letter(position + 1)
        last = max(len(values) + 1, 2)
        names[name] = f"list{position + 1}"
        validation = table.ContentValidation(
            name=names[name],
            condition=f"of:cell-content-is-in-list([$'{LISTS}'.${letter}$2:.${letter}${last}])",
            allowemptycell="true",
            displaylist="unsorted",
            basecelladdress=f"$'{LISTS}'.$A$1",
        )
        validation.addElement(table.ErrorMessage(display="false", messagetype="warning"))
        validations.addElement(validation)
    if names:
        # Content validations come before the tables in the spreadsheet's body.
        first = document.doc.spreadsheet.firstChild
        document.doc.spreadsheet.insertBefore(validations, first)
    for sheet, columns in zip(SHEETS, per_sheet, strict=True):
        _register_sheet(
            document,
            sheet,
            register_rows(sheet, plan) if plan is not None else [],
            {index: names[name] for index, name in columns.items()},
        )
    _lists_sheet(document, lists)


def _lists_sheet(document: _Document, lists: dict[str, list[Any]]) -> None:
    """The hidden sheet of the drop-down lists' values, one list per column, as in the XLSX."""
    found = document.sheet(LISTS, [10] * len(lists), hidden=True)
    columns = list(lists.items())
    document.row(found, [name for name, _values in columns])
    longest = max([len(values) for _name, values in columns] + [0])
    for index in range(longest):
        document.row(
            found, [values[index] if index < len(values) else None for _name, values in columns]
        )


# odfpy holds the whole document as Python objects (42 MB for the demo's 3 200 rows, about
# 13 kB a row): a plan 100 times the demo (a million rows) would need above 10 GB. Past this
# many register rows the ODS is refused, with the XLSX (written a row at a time) offered.
ODS_MAX_ROWS = 50_000


class OdsTooLargeError(ValueError):
    """The plan has more rows than an ODS export can hold in memory; the message says so
    in the user's language and names the XLSX export instead."""


def plan_rows_count(plan: Plan | None) -> int:
    """Rows of every register sheet of ``plan`` (one count per register)."""
    if plan is None:
        return 0
    return sum(register_rows(sheet, plan).order_by().count() for sheet in SHEETS)


def plan_ods_save(*, plan: Plan | None, target: Path | IO[bytes]) -> None:
    """Write the plan's ODS workbook (or the empty template) to a path or a binary file;
    OdsTooLargeError (nothing written) past :data:`ODS_MAX_ROWS` rows."""
    rows = plan_rows_count(plan)
    if rows > ODS_MAX_ROWS:
        raise OdsTooLargeError(
            _(
                "The plan has %(rows)s rows, more than an ODS export can hold (%(limit)s); "
                "download the XLSX workbook instead, LibreOffice opens it too."
            )
            % {
                "rows": f"{rows:,}".replace(",", "\xa0"),
                "limit": f"{ODS_MAX_ROWS:,}".replace(",", "\xa0"),
            }
        )
    plan_ods_document(plan=plan).write(target)
