"""One register alone, as XLSX, ODS, or as CSV for Czech Excel (UTF-8 with BOM, semicolons,
decimal comma, dates 5. 2. 2020).

No text is ever written as something a spreadsheet runs: in XLSX and ODS a text is a text
cell, in CSV a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets the leading apostrophe of :func:`~smartplan.exchange.formula_guard.text_guard`, which
the CSV import takes off again."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from smartplan.exchange.columns import Sheet
from smartplan.exchange.formula_guard import text_guard
from smartplan.exchange.workbook_writer import write_register


def register_xlsx(sheet: Sheet, rows: QuerySet[Any]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet.name
    write_register(ws, sheet, rows)
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for obj in rows:
        writer.writerow([_csv_value(column.to_cell(obj)) for column in sheet.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def register_ods(sheet: Sheet, rows: QuerySet[Any]) -> bytes:
    """The register as a LibreOffice Calc sheet (what :func:`register_xlsx` writes)."""
    from smartplan.exchange.ods_writer import register_ods_document

    buffer = io.BytesIO()
    register_ods_document(sheet, rows).write(buffer)
    return buffer.getvalue()
