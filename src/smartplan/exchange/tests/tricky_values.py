"""Measurements whose CSV text is easy to get wrong, for the tests of the CSV lines SQLite
writes itself: the register CSV's (exchange) and open data's (opendata) use the same ones,
so that a value one of them learns to write is tried on the other too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.plans.models import Plan

NOTES = [
    "",
    "=SUM(A1)",
    "+420 123",
    "-x",
    "@jmeno",
    "\tx",
    "\rx",
    "'=x",
    "''x",
    "'a",
    "'",
    "'-",
    'řekl "ano"',
    "dva,sloupce",
    "středník; ne",
    "první\nřádek",
    "první\r\ndruhý",
    '"',
    ",",
    "Žluťoučký kůň úpěl ďábelské ódy",
    "%s %d %% %.15g",
    " mezera ",
    '=HYPERLINK("http://x", "klik")',
    "dva;sloupce",
    "%s %d %%",
    "a.b",
    " mezera",
]
VALUES = [
    Decimal("0"),
    Decimal("-0.25"),
    Decimal("-1200.000"),
    Decimal("0.0001"),
    Decimal("-0.0001"),
    Decimal("12.5"),
    Decimal("100"),
    Decimal("0.1"),
    Decimal("99999999999.9999"),  # 15 digits: SQLite writes it
    Decimal("-99999999999.9999"),
    Decimal("123456789012.3456"),  # 16 digits: written by Python
    Decimal("12345678901234.5"),
    Decimal("2E+15"),
    Decimal("-7.1"),
    Decimal("1234567.891"),
    Decimal("3.3333"),
]
# Dates of years 99 and 2099 among days one after another from 2040 (every month, every
# day of the month, with and without leading zeros); rows 7 and 15 have no period start.
ODD_DATES = {7: dt.date(99, 5, 6), 11: dt.date(2099, 12, 31), 15: dt.date(99, 8, 1)}
# States that are not one of the choices, one with a comma.
ODD_STATES = {5: "jiný, stav", 9: "jiny"}
ROWS = 400


def tricky_measurements(plan: Plan) -> Plan:
    """``ROWS`` measurements of ``plan`` holding every formula trigger, quotes, commas,
    semicolons, line breaks, Czech letters, %-signs, negative, tiny, huge and 16-digit
    numbers, dates of years 5 (a period start every fourth row), 99 and 2099, states that
    are no choice, and sub-indicator codes like a formula or holding a quote with a
    semicolon or a comma."""
    subs = list(SubIndicator.objects.filter(plan=plan).order_by("code")[:3])
    SubIndicator.objects.filter(pk=subs[0].pk).update(code="-1.1")
    SubIndicator.objects.filter(pk=subs[1].pk).update(code='kód "x";1')
    SubIndicator.objects.filter(pk=subs[2].pk).update(code='kód "x",1')
    Measurement.objects.bulk_create(
        Measurement(
            plan=plan,
            sub_indicator=subs[n % 3],
            date=ODD_DATES.get(n, dt.date(2040, 1, 1) + dt.timedelta(days=n)),
            period_start=dt.date(5, 3, 9) if n % 4 == 0 else None,
            value=VALUES[n % len(VALUES)],
            note=NOTES[n % len(NOTES)],
            status=ODD_STATES.get(n, "final" if n % 2 else "provisional"),
        )
        for n in range(ROWS)
    )
    return plan
