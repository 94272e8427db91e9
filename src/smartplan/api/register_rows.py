"""Rows of a register as the API shows them, read with ``.values()``: no model instance and
no serializer per row, so a page of 500 rows costs one query and a loop.

The shape is the register serializer's: references as ids (or codes, for ``codes``),
decimals as strings, dates as ISO, many-to-many references as lists of ids (one query per
such field and page).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, models

from smartplan.api.registers import Register


@dataclass(frozen=True, eq=False)
class RowShape:
    columns: tuple[str, ...]  # for .values()
    # Dates (and the modification time) read as text: ISO already, no conversion per value.
    # Raw SQL casts (``extra``): an expression would cost more to compile than it saves.
    texts: dict[str, str]
    renames: tuple[tuple[str, str], ...]  # column -> public name
    decimals: tuple[str, ...]
    many: tuple[str, ...]


@cache
def row_shape(register: Register) -> RowShape:
    columns = ["id", "version"]
    table = connection.ops.quote_name(register.model._meta.db_table)

    def as_text(column: str) -> str:
        return f"CAST({table}.{connection.ops.quote_name(column)} AS TEXT)"

    texts = {"text_updated_at": as_text("updated_at")}
    renames = []
    decimals = []
    many = []
    for name in register.fields:
        field = register.model_field(name)
        if field.many_to_many:
            many.append(name)
            continue
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            texts[f"text_{name}"] = as_text(field.column)
            renames.append((f"text_{name}", name))
            continue
        columns.append(field.attname)
        if field.attname != name:
            renames.append((field.attname, name))
        if isinstance(field, models.DecimalField):
            decimals.append(name)
    for name, path in register.codes.items():
        columns.append(path)
        renames.append((path, name))
    return RowShape(tuple(columns), texts, tuple(renames), tuple(decimals), tuple(many))


def rows_shape(register: Register, rows: list[dict[str, Any]]) -> None:
    """Turn ``.values()`` rows into API rows, in place."""
    shape = row_shape(register)
    for row in rows:
        for column, name in shape.renames:
            row[name] = row.pop(column)
        for name in shape.decimals:
            value = row[name]
            if value is not None:
                row[name] = format(value, "f")
        del row["text_updated_at"]
    if rows and shape.many:
        ids = [row["id"] for row in rows]
        for name in shape.many:
            field = register.model_field(name)
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            linked: dict[int, list[int]] = defaultdict(list)
            pairs = (
                through._default_manager.filter(**{f"{source}_id__in": ids})
                .order_by(f"{target}_id")
                .values_list(f"{source}_id", f"{target}_id")
            )
            for owner, other in pairs:
                linked[owner].append(other)
            for row in rows:
                row[name] = linked.get(row["id"], [])
