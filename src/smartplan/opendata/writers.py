"""A dataset's rows written as CSV, JSON, XLSX, and its CSV on the Web metadata.

CSV: UTF-8 without a byte order mark, comma, CRLF line ends (RFC 4180), one header row of
the column names, ISO dates, decimal point, ``true``/``false``, empty for no value.

JSON: one object::

    {"dataset": "<key>", "plan": "<plan slug>", "title": {"cs": ..., "en": ...},
     "columns": [{"name": ..., "datatype": ..., "titles": {"cs": ..., "en": ...}}, ...],
     "rows": [{"<column name>": <value>, ...}, ...]}

with decimals as JSON numbers (written exactly, never through float), dates as ISO
strings, booleans as ``true``/``false`` and no value as ``null``.

CSV and JSON are generators: a response streams them from the database cursor. On SQLite
the CSV's lines are written by SQLite itself (:func:`dataset_csv_chunks`,
:mod:`smartplan.opendata.sql_csv`): the same bytes, several times faster.

No text is run as a formula by a spreadsheet that opens the file (OWASP "CSV injection"):
in CSV a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe (:func:`smartplan.exchange.formula_guard.text_guard`; so does a text
starting with an apostrophe followed by one of those or another apostrophe, so removing
one leading apostrophe from such text always gives the stored text back). Numbers, dates
and booleans are never changed. XLSX cells holding text are typed as text and carry the
quote prefix Excel keeps when a user edits them. JSON is written exactly as stored.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from smartplan.exchange.formula_guard import TRIGGERS, text_guard
from smartplan.opendata.datasets import Dataset
from smartplan.plans.models import Plan

# Rows joined into one chunk of a streamed response (fewer, larger writes).
ROWS_PER_CHUNK = 2000


def decimal_text(value: Decimal) -> str:
    """A decimal in plain notation without trailing zeros: ``12.5``, ``100``, ``-0.25``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


# The first characters after which a text may need the guard's apostrophe.
_GUARD_FIRST = TRIGGERS | {"'"}


def csv_cell(value: Any) -> str:
    if type(value) is str:  # the commonest cell first; only the first character is looked at
        return text_guard(value) if value and value[0] in _GUARD_FIRST else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return text_guard(value)
    return str(value)


class _Line:
    """A file-like object whose write returns what it was given (csv.writer into a string)."""

    def write(self, text: str) -> str:
        return text


_FIELD_WRITER = csv.writer(_Line(), lineterminator="\r\n")
# The characters for which csv.writer (QUOTE_MINIMAL, ",", CRLF) quotes a field.
_QUOTED_IF = (",", '"', "\r", "\n")
# Cell texts remembered per column (dates, codes, states and values repeat).
_MEMO_LIMIT = 20_000


def csv_field(value: Any) -> str:
    """The value's cell (:func:`csv_cell`) as csv.writer writes it as one field of a row
    of several: quoted, inner quotes doubled, when it holds a comma, a quote or a line
    break. csv.writer itself decides, so rows joined from these are the bytes it writes."""
    text = csv_cell(value)
    if not text or not any(mark in text for mark in _QUOTED_IF):
        return text
    line: str = _FIELD_WRITER.writerow((text,))
    return line[:-2]


class _Fields(dict[Any, str]):
    """One column's fields by value: a value seen before costs one dict lookup done in C
    (``map(fields.__getitem__, column)``); forgotten when full, so memory stays bounded.
    A column's values are of one type (and None), so values equal across types (True,
    1, Decimal("1")) never meet in one memory; equal decimals (1.0, 1) have one text."""

    def __missing__(self, value: Any) -> str:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        text = self[value] = csv_field(value)
        return text


def csv_line(row: Iterable[Any]) -> str:
    """One row of several values as the CSV line :func:`csv_chunks` writes for it."""
    return ",".join(map(csv_field, row)) + "\r\n"


def dataset_csv_chunks(item: Dataset, plan: Plan) -> Iterator[bytes]:
    """The dataset's CSV of ``plan`` in chunks of bytes, the header first: on SQLite the
    lines written by SQLite itself (:mod:`smartplan.opendata.sql_csv`, the same bytes,
    several times faster), otherwise :func:`csv_chunks` of :meth:`Dataset.rows`."""
    # Here: the SQL writer imports the exchange app's columns, and with them openpyxl.
    from smartplan.opendata import sql_csv

    lines = sql_csv.sql_lines(item, plan)
    if lines is None:
        yield from csv_chunks(item, item.rows(plan))
        return
    yield _header(item)
    yield from sql_csv.sql_csv_chunks(item, plan, lines)


def _header(item: Dataset) -> bytes:
    line: str = csv.writer(_Line(), lineterminator="\r\n").writerow(item.column_names)
    return line.encode()


def csv_chunks(item: Dataset, rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """The CSV file in chunks of bytes: the header row first, then the rows,
    ``ROWS_PER_CHUNK`` a chunk. Each column of a chunk is written in one ``map`` over its
    remembered fields and the rows are joined by ``str.join``: no Python loop per row."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield _header(item)
    if len(item.columns) == 1:  # csv.writer writes a lone empty field as "": its own way
        for batch in _batches(rows):
            yield "".join(writer.writerow([csv_cell(row[0])]) for row in batch).encode()
        return
    fields = [_Fields() for _column in item.columns]
    for batch in _batches(rows):
        columns = zip(*batch, strict=True)
        written = [
            map(memo.__getitem__, column) for memo, column in zip(fields, columns, strict=True)
        ]
        yield ("\r\n".join(map(",".join, zip(*written, strict=True))) + "\r\n").encode()


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, ROWS_PER_CHUNK)):
        yield batch


def json_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return f'"{value.isoformat()}"'
    return json.dumps(str(value), ensure_ascii=False)


def json_chunks(item: Dataset, plan: Plan, rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """The JSON document (see the module docstring) in chunks of bytes."""
    head = {
        "dataset": item.key,
        "plan": plan.slug,
        "title": {"cs": item.title.cs, "en": item.title.en},
        "columns": [
            {
                "name": column.name,
                "datatype": column.datatype,
                "titles": {"cs": column.title.cs, "en": column.title.en},
            }
            for column in item.columns
        ],
    }
    # The head's closing brace is replaced by the rows array.
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [').encode()
    keys = [json.dumps(name) + ": " for name in item.column_names]
    batch: list[str] = []
    first = True
    for row in rows:
        obj = "{" + ", ".join(k + json_value(v) for k, v in zip(keys, row, strict=True)) + "}"
        batch.append(("\n" if first else ",\n") + obj)
        first = False
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch).encode()
            batch = []
    batch.append("\n]}\n")
    yield "".join(batch).encode()


def write_xlsx(item: Dataset, rows: Iterable[tuple[Any, ...]], out: IO[bytes]) -> None:
    """The workbook (one sheet, header row of the column names) into ``out``.

    Write-only mode keeps rows out of memory; text cells are typed as text (with the quote
    prefix when they start with a formula trigger), so a value such as ``=SUM(A1)`` stays
    a string and never becomes a formula."""
    # Here: no spreadsheet library at start-up (test_startup).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=item.key[:31])

    def xlsx_cell(value: Any) -> Any:
        if isinstance(value, str):
            try:
                cell = WriteOnlyCell(sheet, value=value)
            except IllegalCharacterError:  # control characters XML cannot hold: left out
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            if value and value[0] in TRIGGERS:
                cell.quotePrefix = True
            return cell
        # Numbers, dates (openpyxl gives them an ISO date format), booleans and empties.
        return value

    sheet.append([xlsx_cell(name) for name in item.column_names])
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    workbook.save(out)


def csv_metadata(item: Dataset, plan: Plan) -> dict[str, Any]:
    """The CSV on the Web (W3C tabular metadata) description of the dataset's CSV.

    ``url`` is relative: it resolves against the metadata's own address, next to which the
    CSV lives (``/data/<plan>/<key>.csv``)."""
    columns = []
    for column in item.columns:
        description: dict[str, Any] = {
            "name": column.name,
            "titles": {"cs": column.title.cs, "en": column.title.en},
            "datatype": column.datatype,
            "required": column.required,
        }
        if column.description.cs:
            description["dc:description"] = [
                {"@value": column.description.cs, "@language": "cs"},
                {"@value": column.description.en, "@language": "en"},
            ]
        columns.append(description)
    schema: dict[str, Any] = {"columns": columns}
    if item.primary_key:
        schema["primaryKey"] = list(item.primary_key)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "cs"}],
        "url": f"{item.key}.csv",
        "dc:title": [
            {"@value": f"{item.title.cs} – {plan.name}", "@language": "cs"},
            {"@value": f"{item.title.en} – {plan.name}", "@language": "en"},
        ],
        "dc:description": [
            {"@value": item.description.cs, "@language": "cs"},
            {"@value": item.description.en, "@language": "en"},
        ],
        "dialect": {"delimiter": ",", "encoding": "utf-8", "header": True},
        "tableSchema": schema,
    }
