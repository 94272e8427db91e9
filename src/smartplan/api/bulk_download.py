"""A whole register of a plan in one download (``…/<register>/download/csv/`` and ``/json/``).

Machine clients that want every row (a national aggregator, a data warehouse) should not
follow thousands of cursor pages. The download holds exactly what the list pages hold,
the same rows (the reader's permissions and the list's filters) and the same fields,
streamed from one database cursor in batches: the first bytes leave at once and the
worker keeps one batch in memory whatever the register's size.

- JSON: an array with one row per line (a streaming parser, or ``jq``, reads it as it comes).
- CSV: UTF-8, comma separated, a header of the API's field names; lists and objects as
  JSON text, empty for null, formula-like text with a leading apostrophe
  (``exchange/formula_guard.py``: the rule every smartplan export follows).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import models

from smartplan.api.register_rows import row_shape
from smartplan.api.registers import Register
from smartplan.exchange.formula_guard import MARK, TRIGGERS, text_guard

BATCH = 2000  # rows fetched, represented and written at a time
KINDS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

# First characters of the texts text_guard may change (the others are written as they are).
GUARDED = frozenset(TRIGGERS) | {MARK}

Represent = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return text_guard(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return value


def texts_and_plain(register: Register) -> tuple[frozenset[str], frozenset[str]]:
    """The register's text fields (a leading apostrophe where needed) and those written as
    they are (ids, versions, numbers, dates; decimals are strings in the API, and a negative
    one must not get an apostrophe). Anything else (yes/no, lists, what a register's rules
    add) goes through :func:`_csv_cell`."""
    shape = row_shape(register)
    texts, plain = set(register.codes), {"id", "version", *shape.decimals}
    for name in register.fields:
        field = register.model_field(name)
        if field.many_to_many or isinstance(field, models.BooleanField):
            continue
        if isinstance(field, models.CharField | models.TextField):
            texts.add(name)
        elif field.is_relation or isinstance(
            field, models.IntegerField | models.FloatField | models.DateField
        ):
            plain.add(name)
    return frozenset(texts), frozenset(plain - texts)


def _csv_rows(
    rows: list[dict[str, Any]], header: list[str], texts: frozenset[str], plain: frozenset[str]
) -> Iterator[list[Any]]:
    """The batch's rows as CSV cells: plain columns as they are (the csv module writes None
    as empty), texts looked at by their first character, the rest through _csv_cell."""
    text_at = [i for i, name in enumerate(header) if name in texts]
    other_at = [i for i, name in enumerate(header) if name not in texts and name not in plain]
    for row in rows:
        values = [row[name] for name in header]
        for index in text_at:
            value = values[index]
            if value and value[0] in GUARDED:
                values[index] = text_guard(value)
        for index in other_at:
            values[index] = _csv_cell(values[index])
        yield values


def csv_chunks(
    rows: Iterable[dict[str, Any]],
    represent: Represent,
    fields: list[str],
    kinds: tuple[frozenset[str], frozenset[str]],
) -> Iterator[bytes]:
    """The rows as CSV bytes, a batch a chunk; ``fields`` are the header when no row exists
    (an empty register still tells its columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header: list[str] | None = None
    for batch in _batches(rows, BATCH):
        shown = represent(batch)
        if header is None:
            header = list(shown[0])
            writer.writerow(header)
        writer.writerows(_csv_rows(shown, header, *kinds))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if header is None:
        writer.writerow(fields)
        yield buffer.getvalue().encode()


def json_chunks(rows: Iterable[dict[str, Any]], represent: Represent) -> Iterator[bytes]:
    """The rows as one JSON array, a row a line, a batch a chunk."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    opening = "[\n"
    for batch in _batches(rows, BATCH):
        lines = ",\n".join(encode(row) for row in represent(batch))
        yield (opening + lines).encode()
        opening = ",\n"
    yield ("[]\n" if opening == "[\n" else "\n]\n").encode()
