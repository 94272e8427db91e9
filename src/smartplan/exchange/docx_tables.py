"""The tables of a Word document (.docx) as sheets, so a hand-made report can seed a plan.

Each table of the document's body, in document order, is one sheet named "Tabulka 1",
"Tabulka 2"…; its rows are numbered from 1 like a sheet's. A cell's value is its text
(paragraphs joined by a line break), always a string: the column readers parse "1,1" or
"5. 2. 2020" as they do in a CSV. A cell merged across columns (``gridSpan``) or down rows
(``vMerge``) gives its text in every grid position it covers, as the XLSX reader fills a
merged range, so a section row spanning the table reads the same across it.

python-docx reads the document; the grid is walked here (not through ``_Row.cells``, which
follows a vertical merge upwards one row at a time, recursively: a merge down thousands of
rows would cost quadratic time and overflow the stack). The container is checked first
(size, unpacked size, ratio, no DTD in any part), as for a workbook.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from lxml import etree  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter

from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange import workbook_reader
from smartplan.exchange.workbook_reader import SheetData


def _refuse(message: str, source: str) -> ImportRefusedError:
    return ImportRefusedError([Problem(None, None, None, message)], source=source)


def table_sheet_name(index: int) -> str:
    """The sheet name of the document's ``index``-th table (from 1).

    Czech in every language: a saved column mapping names the sheet, and it must match
    whatever language the next import runs in.
    """
    return f"Tabulka {index}"


def _table_rows(table: Table, name: str, source: str) -> SheetData:
    data = SheetData(name)
    above: dict[int, Any] = {}  # grid column -> the value of the cell there in the row above
    grids: list[dict[int, Any]] = []
    width = 0
    limit = workbook_reader.MAX_COLUMNS
    problems: list[Problem] = []
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        if number > workbook_reader.MAX_ROWS + 1:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s rows; split it.")
                % {
                    "sheet": name,
                    "limit": f"{workbook_reader.MAX_ROWS:,}".replace(",", "\xa0"),
                },
                source,
            )
        row: dict[int, Any] = {}
        column = tr.grid_before
        for tc in tr.tc_lst:
            span = max(tc.grid_span, 1)
            if tc.vMerge == "continue":
                values = [above.get(column + offset) for offset in range(span)]
            else:
                text = "\n".join(p.text for p in _Cell(tc, table).paragraphs)
                values = [text or None] * span
            for offset, value in enumerate(values):
                position = column + offset
                if value is None:
                    continue
                if position >= limit:
                    if len(problems) < 20 and offset == 0:
                        problems.append(
                            Problem(
                                number,
                                get_column_letter(position + 1),
                                value,
                                _(
                                    "a value beyond column %(letter)s; a sheet may have at "
                                    "most %(limit)s columns"
                                )
                                % {"letter": get_column_letter(limit), "limit": limit},
                                name,
                            )
                        )
                    continue
                row[position] = value
            column += span
        above = row
        grids.append(row)
        if row:
            width = max(width, max(row) + 1)
        if len(grids) * width > workbook_reader.MAX_CELLS:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s cells; split it.")
                % {
                    "sheet": name,
                    "limit": f"{workbook_reader.MAX_CELLS:,}".replace(",", "\xa0"),
                },
                source,
            )
    if problems:
        raise ImportRefusedError(problems, source=source)
    data.rows = [
        (number, tuple(row.get(column) for column in range(width)))
        for number, row in enumerate(grids, start=1)
    ]
    return data


def read_docx_tables(
    path: Path, *, sheets: set[str] | None = None, source_name: str | None = None
) -> dict[str, SheetData]:
    """The document's tables (all, or those named) as sheets "Tabulka 1", "Tabulka 2"…"""
    name = source_name or path.name
    not_this = _("This is not a Word document (.docx).")
    workbook_reader.check_zip_container(path, name, not_this=not_this, required="word/document.xml")
    try:
        document = Document(str(path))
        tables = list(document.tables)
        result: dict[str, SheetData] = {}
        for index, table in enumerate(tables, start=1):
            title = table_sheet_name(index)
            if sheets is None or title in sheets:
                result[title] = _table_rows(table, title, name)
    except ImportRefusedError:
        raise
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
        zipfile.BadZipFile,
        EOFError,
        zlib.error,
    ):
        raise _refuse(_("The document cannot be read (malformed or damaged XML)."), name) from None
    return result
