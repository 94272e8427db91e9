"""Czech number, money and date formatting (ČSN 01 6910 and the conventions of the office).

Numbers use a non-breaking space between thousands and a decimal comma (``1 234,5``);
years and identifiers are never grouped. Babel supplies the CLDR rules and month names;
this module fixes the choices Babel leaves open so every page and report agrees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from smartplan.core.dates import DatePrecision

LOCALE = "cs_CZ"
NBSP = "\xa0"

Number = int | float | Decimal


class MoneyRangeLike(Protocol):
    """What :func:`money_range` reads (``projects.money.MoneyRange``; core imports no app)."""

    @property
    def low(self) -> Decimal: ...

    @property
    def high(self) -> Decimal: ...


def format_number(value: Number | None, *, max_decimals: int = 3, min_decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5`` (non-breaking space); empty string for ``None``."""
    if value is None:
        return ""
    pattern = "#,##0"
    if max_decimals:
        pattern += "." + "0" * min_decimals + "#" * (max_decimals - min_decimals)
    return format_decimal(value, format=pattern, locale=LOCALE, group_separator=True)


def format_money(value: Number | None, *, decimals: int = 0) -> str:
    """Activity money in crowns: ``260000`` -> ``260 000 Kč``."""
    if value is None:
        return ""
    number = format_number(value, max_decimals=decimals, min_decimals=decimals)
    return f"{number}{NBSP}Kč"


def money_range(value: MoneyRangeLike | None) -> str:
    """Planned money (a :class:`projects.money.MoneyRange`): one figure when exact
    (``260 000 Kč``), otherwise low–high with an en dash (``500 000–800 000 Kč``)."""
    if value is None:
        return ""
    if value.low == value.high:
        return format_money(value.low)
    return f"{format_number(value.low, max_decimals=0)}–{format_money(value.high)}"


def format_millions(value: Number | None) -> str:
    """Plan- and stack-level money, already in millions: ``916.8`` -> ``916,8 mil. Kč``."""
    if value is None:
        return ""
    return f"{format_number(value, max_decimals=3)}{NBSP}mil.{NBSP}Kč"


def format_date(value: dt.date | None) -> str:
    """``5. 2. 2020``: spaces after the dots, no leading zeros."""
    if value is None:
        return ""
    return f"{value.day}. {value.month}. {value.year}"


def format_date_long(value: dt.date | None) -> str:
    """``5. února 2020`` (the month in the genitive, as in running text)."""
    if value is None:
        return ""
    return babel_format_date(value, "d. MMMM y", locale=LOCALE)


def format_month(value: dt.date | None) -> str:
    """A month standing alone: ``únor 2020`` (nominative)."""
    if value is None:
        return ""
    return babel_format_date(value, "LLLL y", locale=LOCALE)


def format_month_numeric(value: dt.date | None) -> str:
    """The seed's "Aktualizace: 11/2020" form."""
    if value is None:
        return ""
    return f"{value.month}/{value.year}"


def format_quarter(year: int, quarter: int) -> str:
    """``1. čtvrtletí 2021``."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    return f"{quarter}. čtvrtletí {year}"


def format_date_with_precision(value: dt.date | None, precision: str) -> str:
    """A date known to the day, the month or only the year."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return format_month(value)
    if precision == DatePrecision.YEAR:
        return str(value.year)
    return format_date(value)


def plural(count: int, one: str, few: str, many: str) -> str:
    """``count`` with the Czech noun form it takes: 1 záznam, 2–4 záznamy, 0 and 5+ záznamů."""
    form = one if count == 1 else few if 2 <= count <= 4 else many
    return f"{format_number(count)} {form}"
