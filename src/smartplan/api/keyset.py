"""Keyset pages: a page starts after the last row of the previous one, never at an offset.

The cursor is the ordering's values of that last row (the ordering always ends with the
id, so rows with equal values keep one order), encoded as URL-safe base64 JSON together
with the ordering it belongs to. The next page's query is
``WHERE (a, b, id) > (last a, last b, last id) ORDER BY a, b, id LIMIT n + 1`` written out as
``a > x OR (a = x AND (b > y OR (b = y AND id > z)))``: an index on the ordering serves any
page as fast as the first, and no page counts the rows. A row inserted or deleted meanwhile
neither repeats nor skips a row of the pages that follow.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@dataclass(frozen=True)
class Ordering:
    """Columns (attnames, ``-`` for descending) ending with ``id``."""

    columns: tuple[str, ...]

    @property
    def key(self) -> str:
        return ",".join(self.columns)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.lstrip("-") for column in self.columns)


def ordering_parse(
    text: str | None, *, default: tuple[str, ...], allowed: dict[str, str]
) -> Ordering:
    """``?ordering=name,-date`` → columns; ``allowed`` maps public names to attnames."""
    if not text:
        columns = list(default)
    else:
        columns = []
        for part in text.split(","):
            name = part.strip()
            descending = name.startswith("-")
            attname = allowed.get(name.lstrip("-"))
            if attname is None or len(columns) >= 4:
                raise ValidationError(
                    {
                        "ordering": _("Sort by one of: %(fields)s (a minus sign for descending).")
                        % {"fields": ", ".join(sorted(allowed))}
                    }
                )
            columns.append(f"-{attname}" if descending else attname)
    if not any(column.lstrip("-") == "id" for column in columns):
        last_descending = columns[-1].startswith("-") if columns else False
        columns.append("-id" if last_descending else "id")
    return Ordering(tuple(columns))


def limit_parse(text: str | None) -> int:
    """``?limit=`` between 1 and ``MAX_LIMIT``; anything else is the client's error."""
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or not 1 <= int(text) <= MAX_LIMIT:
        raise ValidationError(
            {"limit": _("Send a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT}}
        )
    return int(text)


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def cursor_encode(ordering: Ordering, row: dict[str, Any]) -> str:
    payload = [ordering.key, [_json_value(row[name]) for name in ordering.names]]
    raw = json.dumps(payload, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid_cursor() -> ValidationError:
    return ValidationError({"cursor": _("The cursor is not valid; start from the first page.")})


def cursor_decode(model: type[Model], ordering: Ordering, text: str) -> list[Any]:
    """The last row's values, converted back to Python; garbage is a 400."""
    try:
        if len(text) > 2000:
            raise ValueError(text)
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key, values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _invalid_cursor() from None
    if key != ordering.key or not isinstance(values, list) or len(values) != len(ordering.names):
        raise _invalid_cursor()
    converted = []
    for name, value in zip(ordering.names, values, strict=True):
        field: Any = model._meta.get_field(name.removesuffix("_id"))
        if value is None or isinstance(value, list | dict):
            raise _invalid_cursor()
        try:
            target = field.target_field if field.is_relation else field
            python = target.to_python(value)
            if isinstance(python, int) and not -(2**63) <= python < 2**63:
                raise DjangoValidationError("out of range")
        except (DjangoValidationError, TypeError, ValueError, ArithmeticError):
            raise _invalid_cursor() from None
        converted.append(python)
    return converted


def after(queryset: QuerySet[Any], ordering: Ordering, values: list[Any]) -> QuerySet[Any]:
    """The rows after ``values`` in ``ordering``.

    When every column sorts the same way the condition is a row-value comparison
    (``(a, b, id) > (x, y, z)``, or ``(id) > (z)``; SQLite and PostgreSQL): the index seeks
    straight to the page, and each value is one parameter.
    Mixed directions expand it to ``a > x OR (a = x AND …)`` with the bound ``a >= x`` that
    still lets the index skip what lies before the page.
    """
    pairs = list(zip(ordering.columns, values, strict=True))
    descending = {column.startswith("-") for column in ordering.columns}
    first_column, first_value = pairs[0]
    first_name = first_column.lstrip("-")
    if len(descending) == 1:
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        columns = ", ".join(
            f"{table}.{connection.ops.quote_name(column.lstrip('-'))}"
            for column in ordering.columns
        )
        placeholders = ", ".join(["%s"] * len(pairs))
        operator = "<" if descending == {True} else ">"
        # Column names come from the model; the values are passed as parameters.
        return queryset.extra(  # nosec B610
            where=[f"({columns}) {operator} ({placeholders})"], params=list(values)
        )
    condition: Q | None = None
    for column, value in reversed(pairs):
        name = column.lstrip("-")
        beyond = Q(**{f"{name}__{'lt' if column.startswith('-') else 'gt'}": value})
        condition = beyond if condition is None else beyond | (Q(**{name: value}) & condition)
    assert condition is not None
    bound = "lte" if first_column.startswith("-") else "gte"
    return queryset.filter(condition, **{f"{first_name}__{bound}": first_value})
