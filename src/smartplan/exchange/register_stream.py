"""A register's rows straight from the database cursor, for exports of any size.

The register exports used to build one model instance per row (and one per related row,
with timezone conversions of timestamps the file never writes) and then the whole file in
memory: 53 s and 3.4 GB for the 982 452 measurements of a plan 100 times the demo, first
byte at the end. Here a sheet's columns become the field paths of one ``values_list``
query, its SQL runs on a chunked cursor (a server-side cursor on PostgreSQL), and each
chunk of raw database rows becomes one chunk of the file: memory stays that of one chunk
and the first byte leaves as soon as the first chunk is read.

Per value the work is one call of a small converter chosen once per column: dates and
codes repeat, so their text is remembered; decimals are written from the float's shortest
form, as :func:`smartplan.exchange.register_export._csv_value` writes them.

A sheet whose columns cannot all be read as field paths (names joined from a many-to-many
relation) is streamed from model instances, ``iterator(chunk_size=…)`` with its
prefetches done one chunk at a time: slower per row, still flat in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import repeat
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import CharField, Model, QuerySet
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI

from smartplan.exchange.columns import Column, Sheet
from smartplan.exchange.formula_guard import MARK, TRIGGERS, text_guard
from smartplan.exchange.ordered_blocks import ordered_row_chunks
from smartplan.exchange.register_sql_csv import clean_chunk, dirty_keys, sql_lines

# Rows read from the cursor at once and written as one chunk of the response.
CHUNK_ROWS = 2000
# The same for a sheet written from model instances (a many-to-many column): each chunk
# costs its prefetch queries, and the first chunk's rows are all built before a byte of them
# leaves (900 projects of a plan 100 times the demo, one chunk: first row after 1 s).
INSTANCE_CHUNK_ROWS = 250
# Remembered texts of dates and codes per column; forgotten when the memory is full.
MEMO_LIMIT = 50_000

Converter = Callable[[Any], str]

# The attribute that names a related row in a sheet (see registers._display_key).
_DISPLAY_ATTRIBUTES: dict[str, str] = {
    "organisations.Organisation": "short_name",
    "projects.FlagshipProject": "number",
    "indicators.Indicator": "number",
    "plans.StrategicGoal": "code",
    "plans.SpecificGoal": "code",
    "indicators.SubIndicator": "code",
    "projects.FundingSource": "code",
    "observations.ObservationSeries": "code",
    "governance.Meeting": "title",
    "governance.SteeringGroupMember": "role",
    "partnerships.SurveyedMunicipality": "organisation__short_name",
}

# Columns written by a function of the instance whose value is a plain field path.
_EXPORT_PATHS: dict[str, str] = {
    "_activity_project": "activity__project__number",
    "_activity_number": "activity__number",
    "_activity_part": "activity__part",
}


def _display_path(model: type[Model]) -> str:
    if issubclass(model, AbstractBaseUser):
        return str(getattr(model, "USERNAME_FIELD", "username"))
    return _DISPLAY_ATTRIBUTES.get(model._meta.label, "name")


def column_path(sheet: Sheet, column: Column) -> str | None:
    """The ``values_list`` path of ``column``'s value, "" for a column always empty, None
    when the value is not one field (then the sheet is written from instances)."""
    export = column.export
    if export is None:
        try:
            field = sheet.model._meta.get_field(column.field)
        except FieldDoesNotExist:  # a property of the model
            return None
        if field.is_relation:
            return None
        return column.field
    name = getattr(export, "__qualname__", "")
    if name == "_nothing":
        return ""
    if name in _EXPORT_PATHS:
        return _EXPORT_PATHS[name]
    if column.kind == "ref" and name.startswith("_name."):
        field = sheet.model._meta.get_field(column.field)
        if field.many_to_one or field.one_to_one:
            related = field.related_model
            assert isinstance(related, type)
            return f"{column.field}__{_display_path(related)}"
    return None


def sheet_paths(sheet: Sheet) -> list[str] | None:
    """Every column's path (see :func:`column_path`), or None when one has none."""
    paths = []
    for column in sheet.columns:
        path = column_path(sheet, column)
        if path is None:
            return None
        paths.append(path)
    return paths


# --- one value as the Czech Excel CSV writes it ---------------------------------------


def _guarded(text: str) -> str:
    if text and (text[0] in TRIGGERS or text[0] == MARK):
        return text_guard(text)
    return text


def _plain(value: Any) -> str:
    """A text, number or code (a reference's name, an int)."""
    if value is None:
        return ""
    if type(value) is str:
        return _guarded(value)
    if isinstance(value, bool):
        return "ano" if value else "ne"
    if isinstance(value, float | Decimal):
        return _decimal(value)
    if isinstance(value, dt.date):
        return _date_text(value)
    return str(value)


def _text(value: Any) -> str:
    if not value:
        return ""
    return _guarded(value) if type(value) is str else _plain(value)


def _decimal(value: Any) -> str:
    """Written as the former export did, ``Decimal(str(float(value))).normalize()``; the
    float's shortest form gives the same text without a Decimal per value."""
    if value is None:
        return ""
    text = repr(value if type(value) is float else float(value))
    if "e" in text or "n" in text:  # exponent, inf, nan: rare, the exact way
        text = format(Decimal(text).normalize(), "f")
    elif text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def _bool(value: Any) -> str:
    if value is None:
        return ""
    return "ano" if value else "ne"


def _date_text(value: dt.date) -> str:
    return f"{value.day}. {value.month}. {value.year}"


def _date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # SQLite gives dates as ISO text
        value = dt.date.fromisoformat(value[:10])
    return _date_text(value)


class _Memo(dict[Any, str]):
    """Texts of values already converted: a lookup of a value seen before costs one dict
    access done in C (``map(memo.__getitem__, column)``); a new value calls the converter.
    Forgotten when full, so memory stays bounded whatever the register's size."""

    def __init__(self, convert: Converter, limit: int = MEMO_LIMIT) -> None:
        super().__init__()
        self.convert = convert
        self.limit = limit

    def __missing__(self, value: Any) -> str:
        if len(self) >= self.limit:
            self.clear()
        text = self[value] = self.convert(value)
        return text


def _remembered(convert: Converter, limit: int = MEMO_LIMIT) -> Converter:
    """``convert`` with its answers kept for values that repeat (dates, codes, states)."""
    return _Memo(convert, limit).__getitem__


class _Line:
    """A file whose ``write`` gives back what it was given (csv.writer into a string)."""

    def write(self, text: str) -> str:
        return text


_FIELD_WRITER = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
# The characters for which csv.writer (QUOTE_MINIMAL, ";", CRLF) quotes a field.
_QUOTED_IF = (";", '"', "\r", "\n")


def csv_field(text: str) -> str:
    """``text`` as csv.writer writes it as one field of a row of several (quoted, inner
    quotes doubled, when it holds ``;``, ``"`` or a line break). csv.writer itself decides,
    so the rows joined from these fields are the bytes it would write."""
    if not text or not any(mark in text for mark in _QUOTED_IF):
        return text
    line: str = _FIELD_WRITER.writerow((text,))
    return line[:-2]


def _fielded(convert: Converter) -> Converter:
    """``convert`` whose text is then written as a CSV field (see :func:`csv_field`)."""

    def field(value: Any) -> str:
        return csv_field(convert(value))

    return field


def _empty(_value: Any) -> str:
    return ""


def column_converter(column: Column, path: str) -> Converter:
    """The function writing a raw database value of ``column`` as its CSV text (not yet
    quoted as a CSV field: see :func:`column_field`)."""
    if path == "":
        return _empty
    if column.kind == "decimal":
        return _decimal
    if column.kind == "date":
        return _date
    if column.kind == "bool":
        return _bool
    if column.kind == "choice":
        labels = {value: _plain(label) for value, label in column.choices}

        def choice(value: Any) -> str:
            found = labels.get(value)
            return found if found is not None else _plain(value)

        return choice
    if column.kind == "text":
        return _text
    return _plain


def column_field(column: Column, path: str) -> Converter:
    """The function writing a raw database value of ``column`` as its finished CSV field.

    Remembered per value (measured values repeat, 0,5; 12; 100; dates and codes repeat;
    notes are mostly empty or repeated), so a value seen before costs one dict lookup done
    in C; -0.0 would share 0's text, harmlessly (both are written "0")."""
    if path == "":
        return _empty
    if column.kind == "bool":
        return _bool  # "ano", "ne" or empty: never quoted
    limit = 2000 if column.kind == "text" else MEMO_LIMIT
    return _remembered(_fielded(column_converter(column, path)), limit)


# --- the file ---------------------------------------------------------------------------


def raw_row_chunks(queryset: QuerySet[Any], *, chunk_size: int = 0) -> Iterator[Any]:
    """Lists of raw database rows of ``queryset`` (a ``values_list``), one per fetch: no
    model instances, no converters (dates come as the database gives them), on the
    database's chunked cursor (server-side on PostgreSQL, so nothing is held but a chunk)."""
    compiler = queryset.query.get_compiler(queryset.db)
    connection = connections[queryset.db]
    chunked = connection.features.can_use_chunked_reads
    size = chunk_size or CHUNK_ROWS
    result = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=size)
    if result is None:
        return
    yield from result


def register_values(sheet: Sheet, rows: QuerySet[Any] | Iterable[Any]) -> QuerySet[Any] | None:
    """``rows`` (a queryset of the sheet's model) as the ``values_list`` of its columns, or
    None when the sheet cannot be read that way."""
    paths = sheet_paths(sheet)
    if paths is None or not isinstance(rows, QuerySet):  # rows built in memory
        return None
    return rows.prefetch_related(None).values_list(*_selected(sheet, paths))


def _selected(sheet: Sheet, paths: list[str]) -> list[Any]:
    # Dates as ISO text: Django's SQLite connection would parse every date into a date
    # object while fetching (a third of the export's time); the text is all a CSV needs.
    return [
        Cast(path, output_field=CharField()) if column.kind == "date" else path
        for column, path in zip(sheet.columns, paths, strict=True)
        if path
    ]


class _Buffer(io.StringIO):
    """The text written since the last chunk."""

    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def register_csv_chunks(sheet: Sheet, rows: QuerySet[Any] | Iterable[Any]) -> Iterator[bytes]:
    """The register as CSV for Czech Excel (UTF-8 with BOM, ``;``, CRLF), in chunks of
    bytes: the header first, then one chunk per chunk of database rows."""
    buffer = _Buffer()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    yield ("\ufeff" + buffer.take()).encode("utf-8")
    values = register_values(sheet, rows)
    if values is None:
        yield from _instance_chunks(sheet, rows, writer, buffer)
        return
    paths = sheet_paths(sheet)
    assert paths is not None
    if len(paths) == 1:  # csv.writer writes a lone empty field as "": its own way
        yield from _instance_chunks(sheet, rows, writer, buffer)
        return
    # Column by column: each column of a chunk goes through its converter in one ``map``
    # (no Python loop per row), which gives finished CSV fields; ``";".join`` mapped over
    # the rows and one ``"\r\n".join`` make the chunk's text, all of it done in C.
    fields: list[tuple[int, Converter | None]] = []
    position = 0
    for column, path in zip(sheet.columns, paths, strict=True):
        fields.append((position, column_field(column, path) if path else None))
        if path:
            position += 1
    assert isinstance(rows, QuerySet)
    labels = [
        column_converter(column, path) for column, path in zip(sheet.columns, paths, strict=True)
    ]
    lines = sql_lines(sheet, rows, paths, labels)
    if lines is not None:  # SQLite writes the lines (see register_sql_csv)
        for chunk in block_chunks(lines):
            text = clean_chunk(chunk, len(paths))
            yield text if text is not None else _mended(sheet, rows, chunk, fields)
        return
    for chunk in block_chunks(values):
        yield _python_lines(chunk, fields).encode("utf-8")


def block_chunks(queryset: QuerySet[Any]) -> Iterator[Any]:
    """:func:`raw_row_chunks` of ``queryset`` read a block of its first ordering key at a
    time (see :mod:`ordered_blocks`): the first rows without a sort of all rows."""
    return ordered_row_chunks(queryset, raw_row_chunks, chunk_size=CHUNK_ROWS)


def _python_lines(chunk: list[Any], fields: list[tuple[int, Converter | None]]) -> str:
    """The chunk of raw rows as CSV lines written by the converters."""
    columns = list(zip(*chunk, strict=True))
    converted = [
        repeat("", len(chunk)) if convert is None else map(convert, columns[at])
        for at, convert in fields
    ]
    return "\r\n".join(map(";".join, zip(*converted, strict=True))) + "\r\n"


def _mended(
    sheet: Sheet,
    rows: QuerySet[Any],
    chunk: list[tuple[bytes, Any]],
    fields: list[tuple[int, Converter | None]],
) -> bytes:
    """The chunk of SQLite's lines with those it could not write (a text to quote, an
    unusual decimal) written by the converters, read again by primary key."""
    keys = set(dirty_keys(chunk, len(sheet.columns)))
    paths = sheet_paths(sheet)
    assert paths is not None
    selected = (
        rows.filter(pk__in=keys)
        .order_by()
        .prefetch_related(None)
        .values_list(*_selected(sheet, paths), "pk")
    )
    written: dict[Any, bytes] = {}
    for raw_chunk in raw_row_chunks(selected):
        for raw in raw_chunk:
            *own, key = raw
            written[key] = _python_lines([tuple(own)], fields).encode("utf-8")
    return b"".join(written.get(key, line) for line, key in chunk)


def _instance_chunks(
    sheet: Sheet, rows: QuerySet[Any] | Iterable[Any], writer: Any, buffer: _Buffer
) -> Iterator[bytes]:
    """The former way, row by row from instances, but in chunks of ``INSTANCE_CHUNK_ROWS``."""
    from smartplan.exchange.register_export import _csv_value

    columns = sheet.columns
    batch = 0
    size = min(CHUNK_ROWS, INSTANCE_CHUNK_ROWS)
    objects = rows.iterator(chunk_size=size) if isinstance(rows, QuerySet) else rows
    for obj in objects:
        writer.writerow([_csv_value(column.to_cell(obj)) for column in columns])
        batch += 1
        if batch >= size:
            yield buffer.take().encode("utf-8")
            batch = 0
    yield buffer.take().encode("utf-8")


def register_csv_bytes(sheet: Sheet, rows: QuerySet[Any] | Iterable[Any]) -> bytes:
    """The whole CSV at once (for tests and small registers)."""
    return b"".join(register_csv_chunks(sheet, rows))
