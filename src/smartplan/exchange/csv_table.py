"""A CSV file as one sheet of rows, like any other table file (``table_files``).

The encodings and separators are those of ``core.csv_reader`` (UTF-8 with or without
BOM, Windows-1250; comma, semicolon, tab), with its refusals (NUL characters, mixed
encodings, the row limit). The sheet is named after the file as the user uploaded it
("zasobnik.csv" gives "zasobnik"), so a mapping saved for it finds it again. Empty cells
are None, as in a workbook. Every text has the apostrophe that a CSV export put before
formula-like text removed (``formula_guard``), so exported text reads back as it was.
Memory stays bounded: the file may be as large as a workbook (50 MB) and hold at most
:data:`MAX_CELLS` cells.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from smartplan.core.csv_reader import csv_records, csv_text
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.formula_guard import text_unguard
from smartplan.exchange.workbook_reader import MAX_FILE_BYTES, SheetData

# Every cell is a Python object: a file of separators alone (";;;…") must not fill the
# memory. Twenty columns of the largest register's 200 000 rows fit.
MAX_CELLS = 4_000_000


def csv_sheet_name(path: Path, *, source_name: str | None = None) -> str:
    """The sheet name a CSV file gives: its stem as the user named it."""
    return Path(source_name or path.name).stem or path.stem


def read_csv_table(
    path: Path, *, source_name: str | None = None, max_rows: int | None = None
) -> SheetData:
    """The CSV file's rows as (row number from 1, values); raises ImportRefusedError
    naming ``source_name`` for a file that cannot be read as text, larger than a
    workbook may be, with more than ``max_rows`` rows (by default
    ``core.csv_reader.MAX_ROWS``) or more than :data:`MAX_CELLS` cells."""
    source = source_name or path.name
    sheet = SheetData(csv_sheet_name(path, source_name=source_name))
    text = csv_text(path, source_name=source, max_bytes=MAX_FILE_BYTES)
    cells_read = 0
    for number, cells in csv_records(text, source=source, max_rows=max_rows):
        cells_read += len(cells)
        if cells_read > MAX_CELLS:
            raise ImportRefusedError(
                [
                    Problem(
                        number,
                        None,
                        None,
                        _("The file has more than %(limit)s cells; split it.")
                        % {"limit": f"{MAX_CELLS:,}".replace(",", "\xa0")},
                    )
                ],
                source=source,
            )
        sheet.rows.append((number, tuple(text_unguard(cell) if cell else None for cell in cells)))
    return sheet
