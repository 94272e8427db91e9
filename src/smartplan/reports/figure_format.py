"""How each kind of figure reads in a report: one function per kind, used by every format.

The content modules and the charts' data tables format through these and nothing else, so
a figure cannot print one way in one place and another way elsewhere (a stack item's
duration of 0 years once printed as "0" in Word and as nothing in HTML).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from smartplan.core.czech_format import (
    format_date,
    format_date_with_precision,
    format_millions,
    format_money,
    format_month_numeric,
    format_number,
    money_range,
    plural,
)
from smartplan.monitoring.models import Status
from smartplan.monitoring.templatetags.monitoring import percent
from smartplan.projects.money import MoneyRange

DASH = "–"
RECORDS = ("záznam", "záznamy", "záznamů")


def date(value: dt.date | None) -> str:
    return format_date(value)


def date_as_written(value: dt.date | None, precision: str) -> str:
    """A date known to the day, the month or only the year."""
    return format_date_with_precision(value, precision)


def year(value: int) -> str:
    """Years are never grouped: 2020."""
    return str(value)


def count(value: int) -> str:
    return format_number(value)


def records(value: int) -> str:
    """``53 záznamů``."""
    return plural(value, *RECORDS)


def planned_money(value: MoneyRange) -> str:
    """A project's planned money: the activities' estimates, a range when they differ."""
    return money_range(value)


def spent_money(value: Decimal | None) -> str:
    """Money spent on an activity or project in a year, in crowns."""
    return format_money(value)


def stack_money(value: Decimal | None) -> str:
    """A stack item's finance, in millions, without the unit (the column says it)."""
    return format_number(value)


def stack_total(value: Decimal | None) -> str:
    """Stack-level money with its unit: ``916,8 mil. Kč``."""
    return format_millions(value)


def duration(years: int | None, as_written: str) -> str:
    """A stack item's duration: the number of years when known (also 0), else the text."""
    return format_number(years) if years is not None else as_written


def measured(value: Decimal | None) -> str:
    """An indicator's value; a dash when there is none."""
    return format_number(value) or DASH


def target(value: Decimal | None, unit: str) -> str:
    return f"{format_number(value)} {unit}".strip() if value is not None else DASH


def progress(share: Decimal | None) -> str:
    """A share of the way to the target as per cent, as the dashboard shows it: ``85,7 %``."""
    return percent(share)


def status(value: str) -> str:
    return str(Status(value).label)


def month(value: dt.date | None) -> str:
    """The seed's "Aktualizace: 11/2020"."""
    return format_month_numeric(value) or DASH
