"""Column kinds of the exchange workbook: how a value is written to a cell and read back.

Reading is forgiving in the ways Czech spreadsheets need (numbers typed as text with a
decimal comma, stray spaces, Excel date serials, "ano"/"ne") and strict otherwise: a cell it
cannot read becomes a problem with its place, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from smartplan.core.czech_values import parse_date, parse_decimal


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


_SPACES = re.compile(r"[ \t\u00a0]+")


def fold_case(text: str) -> str:
    """Case and spacing do not matter; accents do (Magdalena and Magdaléna are two people)."""
    return " ".join(text.casefold().split())


def fold(text: str) -> str:
    """Case, accents and spacing do not matter when matching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


# Text that ``clean_text`` would change; most cells have none of it and are kept as they are.
_UNCLEAN = re.compile(r"[\t\u00a0\r]| {2}|\s\n|\n\s|^\s|\s\Z")


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and not _UNCLEAN.search(value):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    lines = str(value).replace("\r\n", "\n").split("\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()


@dataclass(frozen=True)
class Column:
    """One column of a register sheet."""

    header: str
    field: str
    kind: str = "text"  # text | int | decimal | date | bool | choice | ref | refs
    help: str = ""
    required: bool = False
    ref: str = ""  # register the reference points to (see references.Resolver)
    choices: tuple[tuple[Any, str], ...] = ()
    number_format: str = ""
    width: int = 0
    export: Callable[[Any], Any] | None = None

    def to_cell(self, obj: Any) -> Any:
        value = self.export(obj) if self.export else getattr(obj, self.field)
        if self.kind == "decimal" and value is not None:
            return float(value)
        if self.kind == "choice":
            return dict(self.choices).get(value, value)
        if self.kind == "text":
            return value or None
        return value

    def parse(self, raw: Any) -> Any:
        """The Python value of a cell, or None when empty; CellError when unreadable."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        reader = _READERS[self.kind]
        return reader(self, raw)


def _text(column: Column, raw: Any) -> str:
    return clean_text(raw)


def _int(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(_("expected a whole number"))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    number = parse_decimal(str(raw))
    if number is None or number != number.to_integral_value():
        raise CellError(_("expected a whole number"))
    return int(number)


def _decimal(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("expected a number"))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise CellError(_("expected a number such as 1 234,5"))
        return raw
    if isinstance(raw, int | float):
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    number = parse_decimal(str(raw))
    if number is None:
        raise CellError(_("expected a number such as 1 234,5"))
    return number


def _date(column: Column, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # An Excel date serial (days since 1899-12-30) in a cell not formatted as a date.
        if 1 <= raw <= 2958465:
            converted = from_excel(raw)
            return converted.date() if isinstance(converted, dt.datetime) else converted
        raise CellError(_("expected a date"))
    parsed = parse_date(str(raw))
    if parsed is None:
        raise CellError(_("expected a date such as 5. 2. 2020"))
    return parsed


def _bool(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = fold(str(raw))
    if text in {"ano", "a", "yes", "true", "pravda", "1", "x"}:
        return True
    if text in {"ne", "n", "no", "false", "nepravda", "0"}:
        return False
    raise CellError(_("expected ano or ne"))


def _choice(column: Column, raw: Any) -> Any:
    text = fold(clean_text(raw))
    for value, label in column.choices:
        if text in (fold(str(value)), fold(label)):
            return value
    raise CellError(
        _("expected one of: %(choices)s")
        % {"choices": ", ".join(label for _v, label in column.choices)}
    )


def _refs(column: Column, raw: Any) -> list[str]:
    if isinstance(raw, list | tuple):
        # Rows built in code (the fixture, the generator) give the names as a list.
        return [clean_text(part) for part in raw if clean_text(part)]
    text = clean_text(raw).replace(";", ",")
    return [part.strip() for part in text.split(",") if part.strip()]


_READERS: dict[str, Callable[[Column, Any], Any]] = {
    "text": _text,
    "int": _int,
    "decimal": _decimal,
    "date": _date,
    "bool": _bool,
    "choice": _choice,
    "ref": _text,
    "refs": _refs,
}


@dataclass(frozen=True)
class Sheet:
    """A register as a sheet: its columns, natural key and place in the import order."""

    name: str
    model: type[Model]
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str
    order_by: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def joined(values: Iterable[Any]) -> str | None:
    text = ", ".join(str(v) for v in values)
    return text or None
