"""An open dataset's CSV lines written by SQLite itself, for downloads of a million rows.

Reading a row's values into Python objects through Django's converters (a decimal from a
float rounded to 15 digits, a date parsed from its ISO text) and writing them there cost
more than four times what SQLite spends on the whole line. Here SQLite writes each row as
the finished line (one ``printf`` per row) and hands it over as bytes: Python only joins a
chunk of lines. The technique, and its checks, are the register CSV's
(:mod:`smartplan.exchange.register_sql_csv`); the format is open data's
(:mod:`smartplan.opendata.writers`: comma, ISO dates, decimal point, ``true``/``false``).

The SQL writes exactly what :func:`smartplan.opendata.writers.csv_field` writes for the
values :meth:`Dataset.rows <smartplan.opendata.datasets.Dataset.rows>` gives, or marks the
value for Python. Fields are separated by the byte 0xFF, which no UTF-8 text holds: a
chunk with no comma, quote, line break or mark (checked in C) only has the separators
replaced by commas; in any other chunk each line is split at them and a field holding a
comma, a quote or a line break is quoted as csv.writer quotes it (no query).

* a text with the formula guard's apostrophe (the register CSV's SQL, shared);
* a decimal (Django reads the float, rounds it to 15 significant digits, then to the
  field's decimal places) by ``printf('%.15g')`` where that gives the same digits: at most
  15 significant digits and no more decimals than the field has (``round(x, places) = x``
  and ``|x| < 10^(min(15, max_digits) - places)``), and not so small that ``%g`` would write
  an exponent; zero (also ``-0.0``) as ``0``;
* a date as its stored ISO text when it has the ISO shape;
* an integer when SQLite holds an integer; ``true`` / ``false`` for 1 / 0;
* a choice's Czech label through ``CASE``;
* any other value as the byte 0xFE, the mark: such a line is written by Python from the
  row's values, read by one more query (at the first mark) of exactly the marked rows in
  the CSV's order, so the queries do not grow with the rows.

A column this cannot write (an expression with parameters, a type not listed) leaves the
whole dataset to Python. Only SQLite: on PostgreSQL the cursor gives values and Python
writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from django.core.exceptions import FieldError
from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import Col
from django.db.models.lookups import GreaterThan
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import MULTI

from smartplan.exchange.formula_guard import text_guard
from smartplan.exchange.register_sql_csv import guarded_sql
from smartplan.exchange.sql_line import NotInSqlError, SqlLine
from smartplan.opendata.datasets import ChoiceLabel, Column, Dataset, empty_to_none
from smartplan.plans.models import Plan

LINE = "smartplan_opendata_line"
# The fields' separator: a byte that never occurs in UTF-8 text, so that a line can be
# split into its fields whatever they hold (a chunk without a field to quote only has them
# replaced by commas).
SEPARATOR = b"\xff"
# What a value Python must write writes instead: another byte no UTF-8 text holds.
TO_PYTHON = b"\xfe"
# Rows read from the cursor at once and written as one chunk of the response.
CHUNK_ROWS = 2000
_TO_PYTHON = "X'FE'"
# The shape of a date as Django stores it on SQLite.
_ISO_DATE = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"


def _decimal_sql(x: str, field: DecimalField[Any, Any]) -> str | None:
    places, digits = field.decimal_places, field.max_digits
    if places is None or digits is None or places >= min(digits, 15):
        return None
    # At most 15 significant digits (what Django keeps of the float), and no more than
    # the field's max_digits (Django's rounding to the decimal places allows no more).
    bound = f"1e{min(digits, 15) - places}"
    # %g writes an exponent below 1e-4; a multiple of 10^-places ≥ 1e-4 needs no check.
    small = "" if places <= 4 else f" AND abs({x}) >= 1e-4"
    return (
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {x} = 0 THEN '0' "
        f"WHEN {x} > -{bound} AND {x} < {bound} AND round({x}, {places}) = {x}{small} "
        f"THEN printf('%%.15g', {x}) ELSE {_TO_PYTHON} END"
    )


def _is_text(field: Any) -> bool:
    return isinstance(field, CharField | TextField)


def _is_int(field: Any) -> bool:
    return isinstance(field, IntegerField) and not isinstance(field, BooleanField)


def column_sql(column: Column, expression: Any, x: str) -> tuple[str, list[Any]] | None:
    """The SQL writing ``column``'s field (its database value is ``x``, the compiled
    ``expression``) and its parameters, or None when only Python can write it."""
    try:
        field = expression.output_field
    except FieldError:  # a mixed expression Django cannot type
        return None
    convert = column.convert
    if isinstance(convert, ChoiceLabel):
        if not (_is_text(field) or _is_int(field)):
            return None
        whens: list[str] = []
        params: list[Any] = []
        for value, label in convert.labels().items():
            whens.append("WHEN %s THEN %s")
            params += [value, text_guard(label)]
        other = guarded_sql(x) if _is_text(field) else _integer_sql(x)
        return f"CASE {x} {' '.join(whens)} ELSE {other} END", params
    if convert not in (None, empty_to_none):
        return None
    datatype = column.datatype
    if datatype in ("string", "anyURI") and _is_text(field):
        return guarded_sql(x), []  # "" and NULL are both written as nothing
    if datatype == "integer" and _is_int(field):
        return _integer_sql(x), []
    if datatype == "decimal" and isinstance(field, DecimalField) and isinstance(expression, Col):
        written = _decimal_sql(x, field)
        return None if written is None else (written, [])
    if datatype == "date" and type(field) is DateField:
        return (
            f"CASE WHEN {x} GLOB {_ISO_DATE} THEN {x} WHEN {x} IS NULL THEN NULL "
            f"ELSE {_TO_PYTHON} END"
        ), []
    if datatype == "boolean" and isinstance(field, BooleanField):
        return (
            f"CASE WHEN {x} IS NULL THEN NULL WHEN {x} = 1 THEN 'true' "
            f"WHEN {x} = 0 THEN 'false' ELSE {_TO_PYTHON} END"
        ), []
    return None


def _integer_sql(x: str) -> str:
    # Python writes str() of what the cursor gives: only an integer is written the same.
    return f"CASE typeof({x}) WHEN 'integer' THEN {x} WHEN 'null' THEN NULL ELSE {_TO_PYTHON} END"


class _CsvLine(SqlLine):
    """The finished CSV line (without quoting: see the module docstring) as bytes."""

    def __init__(self, item: Dataset) -> None:
        self.item = item
        sources = [
            F(column.source) if isinstance(column.source, str) else column.source
            for column in item.columns
        ]
        super().__init__(*sources)

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: Any, **_extra: Any
    ) -> tuple[str, list[Any]]:
        args: list[str] = []
        params: list[Any] = []
        compiled = self.compiled_sources(compiler)
        for column, (expression, sql) in zip(self.item.columns, compiled, strict=True):
            part = column_sql(column, expression, sql)
            if part is None:
                raise NotInSqlError
            args.append(part[0])
            params += part[1]
        return self.printed(SEPARATOR.join([b"%s"] * len(args)) + b"\r\n", args, params)


def sql_lines(item: Dataset, plan: Plan) -> QuerySet[Any] | None:
    """The dataset's rows of ``plan``, in order, as (line, primary key) pairs written by
    SQLite; None when the database is not SQLite or a column cannot be written so."""
    rows = item.queryset(plan).order_by(*item.order_by)
    if connections[rows.db].vendor != "sqlite" or len(item.columns) < 2:
        return None  # (csv.writer writes a lone empty field as "": its own way)
    values: QuerySet[Any] = rows.annotate(**{LINE: _CsvLine(item)}).values_list(LINE, "pk")
    try:  # compiled once here, so that a refusal is known before the first byte
        values.query.get_compiler(values.db).as_sql()
    except NotInSqlError:
        return None
    return values


def raw_row_chunks(queryset: QuerySet[Any], *, chunk_size: int) -> Iterator[list[Any]]:
    """Lists of raw rows of ``queryset`` (a ``values_list``), one per fetch, no converters.
    (:func:`smartplan.exchange.register_stream.raw_row_chunks` does the same, but its
    module brings the exchange app's columns, and with them openpyxl, into a worker that
    serves open data: a second at its first download.)"""
    compiler = queryset.query.get_compiler(queryset.db)
    chunked = connections[queryset.db].features.can_use_chunked_reads
    result = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=chunk_size)
    yield from result or ()


def sql_csv_chunks(item: Dataset, plan: Plan, lines: QuerySet[Any]) -> Iterator[bytes]:
    """The CSV's rows (no header) in chunks of bytes, ``CHUNK_ROWS`` lines a chunk, from
    :func:`sql_lines`: one query, and a second one, in the same order, for the rows with a
    value only Python writes (a decimal of more than 15 digits, a date not stored as ISO
    text) when there is one."""
    by_python = _ByPython(item, plan)
    for chunk in raw_row_chunks(lines, chunk_size=CHUNK_ROWS):
        text = b"".join(map(itemgetter(0), chunk))
        rows = len(chunk)
        if (  # (``in`` of one byte is memchr: faster than a count)
            b"," in text
            or b'"' in text
            or TO_PYTHON in text
            or text.count(b"\n") != rows
            or text.count(b"\r") != rows
        ):
            yield _quoted(chunk, by_python)
        else:  # no field to quote: the separators become commas
            yield text.replace(SEPARATOR, b",")


_QUOTE_IF = (b",", b'"', b"\r", b"\n")


def _field(text: bytes) -> bytes:
    """A field as csv.writer writes it: quoted, inner quotes doubled, when it holds a
    comma, a quote or a line break (the formula guard is SQLite's already)."""
    if any(mark in text for mark in _QUOTE_IF):
        return b'"' + text.replace(b'"', b'""') + b'"'
    return text


def _quoted(chunk: list[tuple[bytes, Any]], by_python: _ByPython) -> bytes:
    """A chunk with fields to quote, quoted field by field (the separator never occurs in
    UTF-8 text, so every field is found); a line with a value SQLite could not write is
    written by Python."""
    written: list[bytes] = []
    for line, key in chunk:
        if TO_PYTHON in line:
            written.append(by_python.line(key))
        else:
            written.append(b",".join(map(_field, line[:-2].split(SEPARATOR))) + b"\r\n")
    return b"".join(written)


class _ByPython:
    """The lines of the rows SQLite marked for Python, from one query (made at the first
    such row) of exactly those rows in the CSV's order, converted as Dataset.rows converts
    them: read along with the CSV, so only rows read ahead are held."""

    def __init__(self, item: Dataset, plan: Plan) -> None:
        self.item = item
        self.plan = plan
        self.rows: Iterator[tuple[Any, tuple[Any, ...]]] | None = None
        self.ahead: dict[Any, tuple[Any, ...]] = {}

    def line(self, key: Any) -> bytes:
        from smartplan.opendata.writers import csv_line

        if self.rows is None:
            marked = Func(F(LINE), Value(TO_PYTHON), function="instr", output_field=IntegerField())
            rows = (
                self.item.queryset(self.plan)
                .order_by(*self.item.order_by)
                .alias(**{LINE: _CsvLine(self.item)})
                .filter(GreaterThan(marked, 0))
            )
            self.rows = self.item.keyed_rows(rows)
        while key not in self.ahead:
            found = next(self.rows, None)
            if found is None:  # changed since the CSV's query began: read on its own
                row = dict(self.item.keyed_rows(self.item.queryset(self.plan).filter(pk=key)))
                return csv_line(row[key]).encode() if key in row else b""
            self.ahead[found[0]] = found[1]
        return csv_line(self.ahead.pop(key)).encode()
