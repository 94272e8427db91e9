"""Template filters for Czech formatting; thin wrappers over :mod:`smartplan.core.czech_format`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from smartplan.core import czech_format

register = template.Library()


@register.filter
def cz_plural(count: int, forms: str) -> str:
    """``{{ n|cz_plural:"záznam,záznamy,záznamů" }}`` → "53 záznamů"."""
    one, few, many = forms.split(",")
    return czech_format.plural(count, one, few, many)


@register.filter
def cz_number(value: Decimal | int | float | None) -> str:
    return czech_format.format_number(value)


@register.filter
def cz_money(value: Decimal | int | float | None) -> str:
    return czech_format.format_money(value)


@register.filter
def cz_money_range(value: czech_format.MoneyRangeLike | None) -> str:
    """Planned money: ``260 000 Kč`` when exact, ``500 000–800 000 Kč`` when a range."""
    return czech_format.money_range(value)


@register.filter
def cz_millions(value: Decimal | int | float | None) -> str:
    return czech_format.format_millions(value)


@register.filter
def cz_date(value: dt.date | None) -> str:
    return czech_format.format_date(value)


@register.filter
def cz_date_long(value: dt.date | None) -> str:
    return czech_format.format_date_long(value)


@register.filter
def cz_date_as(value: dt.date | None, precision: str) -> str:
    """A date known to the day, the month or the year: ``{{ d|cz_date_as:"month" }}``."""
    return czech_format.format_date_with_precision(value, precision)
