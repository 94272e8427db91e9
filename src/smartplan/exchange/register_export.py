"""One register alone, as XLSX, ODS, or as CSV for Czech Excel (UTF-8 with BOM, semicolons,
decimal comma, dates 5. 2. 2020).

No text is ever written as something a spreadsheet runs: in XLSX and ODS a text is a text
cell, in CSV a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets the leading apostrophe of :func:`~smartplan.exchange.formula_guard.text_guard`, which
the CSV import takes off again."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from smartplan.exchange.columns import Sheet
from smartplan.exchange.formula_guard import text_guard
from smartplan.exchange.register_stream import register_csv_chunks
from smartplan.exchange.workbook_writer import write_register


def register_xlsx(sheet: Sheet, rows: QuerySet[Any]) -> bytes:
    """The register as one sheet, written in openpyxl's write-only mode (a row at a time)."""
    workbook = Workbook(write_only=True)
    write_register(workbook.create_sheet(sheet.name), sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ano" if value else "ne"
    if isinstance(value, float | Decimal):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",")
    if isinstance(value, dt.date):
        return f"{value.day}. {value.month}. {value.year}"
    if isinstance(value, str):
        return text_guard(value)
    return str(value)


def register_csv(sheet: Sheet, rows: QuerySet[Any]) -> bytes:
    """The whole CSV at once; the export page streams :func:`register_csv_chunks` instead."""
    return b"".join(register_csv_chunks(sheet, rows))


def register_ods(sheet: Sheet, rows: QuerySet[Any]) -> bytes:
    """The register as a LibreOffice Calc sheet (what :func:`register_xlsx` writes)."""
    from smartplan.exchange.ods_writer import register_ods_save

    buffer = io.BytesIO()
    register_ods_save(sheet, rows, buffer)
    return buffer.getvalue()
