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

from django.db import models

from smartplan.api.registers import Register


@dataclass(frozen=True)
class RowShape:
    columns: tuple[str, ...]  # for .values()
    renames: tuple[tuple[str, str], ...]  # column -> public name
    decimals: tuple[str, ...]
    many: tuple[str, ...]


@cache
def row_shape(register: Register) -> RowShape:
    columns = ["id", "version", "updated_at"]
    renames = []
    decimals = []
    many = []
    for name in register.fields:
        field = register.model_field(name)
        if field.many_to_many:
            many.append(name)
            continue
        columns.append(field.attname)
        if field.attname != name:
            renames.append((field.attname, name))
        if isinstance(field, models.DecimalField):
            decimals.append(name)
    for name, path in register.codes.items():
        columns.append(path)
        renames.append((path, name))
    return RowShape(tuple(columns), tuple(renames), tuple(decimals), tuple(many))


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
        del row["updated_at"]
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
