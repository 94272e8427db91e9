"""Any office table file as sheets of rows: XLSX, ODS, CSV, and the tables of a DOCX.

The format is told by the file's content, never trusted from its name: a ZIP container
with ``xl/workbook.xml`` is XLSX, one whose ``mimetype`` names an OpenDocument
spreadsheet is ODS, one with ``word/document.xml`` is DOCX; text is CSV. Every reader
gives the same :class:`~smartplan.exchange.workbook_reader.SheetData` (rows as
``(row number, values)``, merged cells filled with their text), so layouts, mappings and
the plan writer never know which format a table came from. Problems name the file as the
user uploaded it (``source_name``), never the server's copy.
"""

from __future__ import annotations

import enum
import zipfile
from pathlib import Path
from typing import assert_never

from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.csv_table import read_csv_table
from smartplan.exchange.docx_tables import read_docx_tables
from smartplan.exchange.ods_reader import read_ods
from smartplan.exchange.workbook_reader import OLE_MAGIC, SheetData, read_workbook

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class TableFormat(enum.StrEnum):
    XLSX = "xlsx"
    ODS = "ods"
    DOCX = "docx"
    CSV = "csv"


def table_format(path: Path, *, source_name: str | None = None) -> TableFormat:
    """The file's format from its content; ImportRefusedError for anything else."""
    name = source_name or path.name
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise ImportRefusedError(
            [
                Problem(
                    None,
                    None,
                    None,
                    _(
                        "The workbook is password-protected or in the old .xls format. Remove "
                        "the password, or save it as .xlsx, and upload it again."
                    ),
                )
            ],
            source=name,
        )
    if not head.startswith(b"PK"):
        return TableFormat.CSV
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        raise ImportRefusedError(
            [Problem(None, None, None, _("The file is damaged (a broken ZIP container)."))],
            source=name,
        ) from None
    if "xl/workbook.xml" in names:
        return TableFormat.XLSX
    if mimetype.strip() == ODS_MIMETYPE or ("content.xml" in names and "mimetype" in names):
        return TableFormat.ODS
    if "word/document.xml" in names:
        return TableFormat.DOCX
    raise ImportRefusedError(
        [
            Problem(
                None,
                None,
                None,
                _("This is neither a table (XLSX, ODS, CSV) nor a Word document with tables."),
            )
        ],
        source=name,
    )


def read_tables(
    path: Path,
    *,
    source_name: str | None = None,
    sheets: set[str] | None = None,
    stream: frozenset[str] = frozenset(),
) -> dict[str, SheetData]:
    """The sheets of any supported table file (all, or those named), by sheet name.

    A DOCX gives one sheet per table, named "Tabulka 1", "Tabulka 2"…; a CSV gives one
    sheet named after the file. Raises ImportRefusedError, naming ``source_name``, for
    a file that cannot be read safely. Sheets named in ``stream`` may be read as they are
    used (XLSX and ODS, see :func:`~smartplan.exchange.workbook_reader.read_workbook`): iterate
    ``SheetData.all_rows()`` for every row.
    """
    fmt = table_format(path, source_name=source_name)
    if fmt is TableFormat.XLSX:
        return read_workbook(path, sheets=sheets, source_name=source_name, stream=stream)
    if fmt is TableFormat.ODS:
        return read_ods(path, sheets=sheets, source_name=source_name or path.name, stream=stream)
    if fmt is TableFormat.DOCX:
        return read_docx_tables(path, sheets=sheets, source_name=source_name or path.name)
    if fmt is TableFormat.CSV:
        sheet = read_csv_table(path, source_name=source_name)
        return {sheet.name: sheet} if sheets is None or sheet.name in sheets else {}
    assert_never(fmt)
