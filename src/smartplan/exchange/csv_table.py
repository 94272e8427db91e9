"""A CSV file as one sheet of rows, like any other table file (``table_files``).

The encodings and separators are those of ``core.csv_reader`` (UTF-8 with or without
BOM, Windows-1250; comma, semicolon, tab), with its refusals (NUL characters, mixed
encodings, size and row limits). The sheet is named after the file as the user uploaded
it ("zasobnik.csv" gives "zasobnik"), so a mapping saved for it finds it again. Empty
cells are None, as in a workbook; every text has the apostrophe that a CSV export put
before formula-like text removed (``formula_guard``), so exported text reads back as it
was.
"""

from __future__ import annotations

from pathlib import Path

from smartplan.core.csv_reader import MAX_ROWS, csv_records, csv_text
from smartplan.exchange.formula_guard import text_unguard
from smartplan.exchange.workbook_reader import SheetData


def csv_sheet_name(path: Path, *, source_name: str | None = None) -> str:
    """The sheet name a CSV file gives: its stem as the user named it."""
    return Path(source_name or path.name).stem or path.stem


def read_csv_table(
    path: Path, *, source_name: str | None = None, max_rows: int = MAX_ROWS
) -> SheetData:
    """The CSV file's rows as (row number from 1, values); raises ImportRefusedError
    naming ``source_name`` for a file that cannot be read as text."""
    source = source_name or path.name
    sheet = SheetData(csv_sheet_name(path, source_name=source_name))
    text = csv_text(path, source_name=source)
    for number, cells in csv_records(text, source=source, max_rows=max_rows):
        sheet.rows.append((number, tuple(text_unguard(cell) if cell else None for cell in cells)))
    return sheet
