"""A register's CSV lines written by SQLite itself, for the exports of a million rows.

Fetching a row's six values into Python objects and formatting them there costs about
twice what the ``sqlite3 -csv`` shell spends on the whole row. Here SQLite writes each row
as the finished line (one ``printf`` per row, a few cheap expressions per value) and hands
it over as bytes: Python only joins a chunk of lines, with no object per value and no
decoding or encoding of text.

The SQL writes exactly what the Python converters of :mod:`register_stream` write, or
marks the row for them:

* a text is written with the formula guard's apostrophe (one ``unicode()`` of its first
  character, the rule of :func:`smartplan.exchange.formula_guard.text_guard`), but never
  quoted: a line holding a text that needs CSV quoting (``;``, ``"``, a line break) is
  found by counting those characters in the chunk (done in C) and written again by the
  Python converters from its primary key;
* a decimal is written by ``printf('%.15g')`` only where that gives the float's shortest
  form, which is what Python writes (the value has at most 15 significant digits and
  ``decimal_places`` decimals, at most 4: ``round(x * 10^places) / 10^places = x`` and
  ``|x| < 10^(15 - places)``); any other value writes ``"`` so that its line is written
  again by Python;
* a date (ISO text in SQLite) as ``day. month. year`` without leading zeros; ``ano`` /
  ``ne`` for booleans; a choice's label through ``CASE``.

Only SQLite: on PostgreSQL the cursor gives values and Python writes them (the output is
the same bytes; the register tests run on both databases).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DecimalField,
    F,
    Field,
    IntegerField,
    Model,
    QuerySet,
    TextField,
)
from django.db.models.sql.compiler import SQLCompiler

from smartplan.exchange.sql_line import NotInSqlError, SqlLine

if TYPE_CHECKING:  # (columns imports openpyxl: open data's CSV needs none of it)
    from smartplan.exchange.columns import Column, Sheet

LINE = "smartplan_csv_line"
# Characters whose presence in a field makes csv.writer quote it.
_QUOTED_IF = (b";", b'"', b"\r", b"\n")
_MARKS = b"".join(_QUOTED_IF)

# Codes of the formula guard's triggers (= + - @ tab CR) and of its mark (the apostrophe).
_TRIGGER_CODES = "61, 43, 45, 64, 9, 13"
_MARK_CODE = 39


def _final_field(model: type[Model], path: str) -> Field[Any, Any] | None:
    """The model field at the end of ``path`` (``sub_indicator__code``)."""
    *relations, name = path.split("__")
    for relation in relations:
        field = model._meta.get_field(relation)
        related = field.related_model
        if not isinstance(related, type):
            return None
        model = related
    found = model._meta.get_field(name)
    return found if isinstance(found, Field) else None


def _is_text(field: Field[Any, Any]) -> bool:
    return isinstance(field, CharField | TextField)


def _is_int(field: Field[Any, Any]) -> bool:
    return isinstance(field, IntegerField) and not field.choices


def _guarded_sql(x: str) -> str:
    """The text ``x`` with the formula guard's apostrophe (NULL stays NULL: printf writes
    it as nothing, as Python writes None and "")."""
    return (
        f"CASE unicode({x}) WHEN {_MARK_CODE} THEN "
        f"CASE WHEN unicode(substr({x}, 2)) IN ({_TRIGGER_CODES}, {_MARK_CODE}) "
        f"THEN '''' || {x} ELSE {x} END "
        f"WHEN 61 THEN '''' || {x} WHEN 43 THEN '''' || {x} WHEN 45 THEN '''' || {x} "
        f"WHEN 64 THEN '''' || {x} WHEN 9 THEN '''' || {x} WHEN 13 THEN '''' || {x} "
        f"ELSE {x} END"
    )


def guarded_sql(x: str) -> str:
    """The text ``x`` with the formula guard's apostrophe, in SQLite's SQL: for the other
    CSV writers that let SQLite write their lines (:mod:`smartplan.opendata.sql_csv`)."""
    return _guarded_sql(x)


class _Part:
    """One column's piece of the line: its printf format, SQL arguments and parameters."""

    def __init__(self, fmt: str, args: list[str], params: list[Any]) -> None:
        self.fmt = fmt
        self.args = args
        self.params = params


def _column_part(
    column: Column, field: Field[Any, Any] | None, x: str, label: Callable[[Any], str]
) -> _Part | None:
    """The SQL writing ``column`` (its database value is ``x``), None when only Python can."""
    kind = column.kind
    if field is None:
        return None
    if kind == "text" or (kind == "ref" and _is_text(field)):
        if not _is_text(field) or field.choices:
            return None
        return _Part("%s", [_guarded_sql(x)], [])
    if kind in ("ref", "int") and _is_int(field):
        return _Part("%s", [x], [])
    if kind == "date" and isinstance(field, DateField) and type(field) is DateField:
        # printf's %d reads the leading number of the text: '2021-03-05' is 2021.
        written = f"printf('%%d. %%d. %%d', substr({x}, 9), substr({x}, 6), {x})"
        if field.null:
            return _Part("%s", [f"CASE WHEN {x} IS NULL THEN '' ELSE {written} END"], [])
        return _Part("%d. %d. %d", [f"substr({x}, 9)", f"substr({x}, 6)", x], [])
    if kind == "decimal" and isinstance(field, DecimalField):
        places = field.decimal_places
        # printf's %g writes an exponent below 1e-4: more places are left to Python.
        if places is None or places > 4:
            return None
        bound = f"1e{15 - places}"
        scale = f"1e{places}"
        # ``round(x * 10^p) / 10^p = x`` holds only when x is the double nearest to a
        # decimal k / 10^p, |k| < 10^15, whose 15 digits printf gives back; it holds for
        # every such x (x * 10^p is then within far less than 0.5 of k). SQLite's round()
        # without places is integer arithmetic; with places it formats and parses the
        # number, which made this check a quarter of the line's cost.
        written = (
            f"CASE WHEN {x} IS NULL THEN '' "
            f"WHEN {x} > -{bound} AND {x} < {bound} AND round({x} * {scale}) / {scale} = {x} "
            f"THEN replace(printf('%%.15g', {x}), '.', ',') ELSE '\"' END"
        )
        return _Part("%s", [written], [])
    if kind == "bool" and isinstance(field, BooleanField):
        return _Part("%s", [f"CASE WHEN {x} IS NULL THEN '' WHEN {x} THEN 'ano' ELSE 'ne' END"], [])
    if kind == "choice" and (_is_text(field) or isinstance(field, IntegerField)):
        whens: list[str] = []
        params: list[Any] = []
        for value, _label in column.choices:
            text = label(value)
            if any(mark.decode() in text for mark in _QUOTED_IF) or "%" in text:
                return None
            whens.append("WHEN %s THEN %s")
            params += [value, text]
        other = _guarded_sql(x) if _is_text(field) else x
        return _Part("%s", [f"CASE {x} {' '.join(whens)} ELSE {other} END"], params)
    return None


class _CsvLine(SqlLine):
    """The finished CSV line (without quoting: see the module docstring) as bytes."""

    def __init__(self, sheet: Sheet, paths: list[str], labels: list[Callable[[Any], str]]) -> None:
        self.sheet = sheet
        self.paths = paths
        self.labels = labels
        super().__init__(*[F(path) for path in paths if path])

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: Any, **_extra: Any
    ) -> tuple[str, list[Any]]:
        formats: list[str] = []
        args: list[str] = []
        params: list[Any] = []
        sources = self.compiled_sources(compiler)
        for column, path, label in zip(self.sheet.columns, self.paths, self.labels, strict=True):
            if not path:
                formats.append("")
                continue
            _expression, sql = next(sources)
            part = _column_part(column, _final_field(self.sheet.model, path), sql, label)
            if part is None:
                raise NotInSqlError
            formats.append(part.fmt)
            args += part.args
            params += part.params
        return self.printed(";".join(formats) + "\r\n", args, params)


def sql_lines(
    sheet: Sheet, rows: QuerySet[Any], paths: list[str], labels: list[Callable[[Any], str]]
) -> QuerySet[Any] | None:
    """``rows`` as (line, primary key) pairs written by SQLite, or None when the database
    is not SQLite or a column cannot be written so."""
    if connections[rows.db].vendor != "sqlite" or rows.query.is_sliced:
        return None
    for column, path, label in zip(sheet.columns, paths, labels, strict=True):
        if path and _column_part(column, _final_field(sheet.model, path), "x", label) is None:
            return None
    line = _CsvLine(sheet, paths, labels)
    values: QuerySet[Any] = (
        rows.prefetch_related(None).annotate(**{LINE: line}).values_list(LINE, "pk")
    )
    try:  # compiled once here, so that a refusal is known before the first byte
        values.query.get_compiler(values.db).as_sql()
    except NotInSqlError:
        return None
    return values


def clean_chunk(chunk: list[tuple[bytes, Any]], fields: int) -> bytes | None:
    """The chunk's lines joined, or None when a line holds a character that needs quoting
    or a value Python must write. Every line holds ``fields - 1`` semicolons, a CR and an
    LF; any other ``;``, CR, LF or ``"`` (a text to quote, a value SQLite left to Python)
    makes more of them: they are counted in one pass in C (deleted by ``translate``)."""
    text = b"".join(map(itemgetter(0), chunk))
    marks = len(text) - len(text.translate(None, _MARKS))
    return text if marks == len(chunk) * (fields + 1) else None


def dirty_keys(chunk: list[tuple[bytes, Any]], fields: int) -> Iterator[Any]:
    """Primary keys of the chunk's lines Python must write again."""
    for line, key in chunk:
        if (
            b'"' in line
            or line.count(b";") != fields - 1
            or line.count(b"\n") != 1
            or line.count(b"\r") != 1
        ):
            yield key
