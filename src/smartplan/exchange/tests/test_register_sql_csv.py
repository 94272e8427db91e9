"""SQLite writes the register CSV's lines itself (register_sql_csv): byte for byte what the
Python converters write, for the values that are hard to write the same way."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from smartplan.exchange import register_sql_csv, register_stream
from smartplan.exchange.registers import MEASUREMENTS, SHEETS
from smartplan.exchange.workbook_writer import register_rows
from smartplan.indicators.models import Measurement, SubIndicator

pytestmark = pytest.mark.django_db

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
    "dva;sloupce",
    "první\nřádek",
    "první\r\ndruhý",
    "Žluťoučký kůň úpěl ďábelské ódy",
    "%s %d %%",
    "a.b",
    " mezera",
]
VALUES = [
    Decimal("0"),
    Decimal("-0.25"),
    Decimal("-1200.000"),
    Decimal("0.0001"),
    Decimal("12.5"),
    Decimal("100"),
    Decimal("99999999999.9999"),  # 15 digits: SQLite writes it
    Decimal("123456789012.3456"),  # 16 digits: the float's shortest form, written by Python
    Decimal("2E+15"),
    Decimal("-7.1"),
    Decimal("1234567.891"),
    Decimal("0.1"),
]


@pytest.fixture
def tricky(demo_plan):
    """Values whose CSV text is easy to get wrong: every formula trigger, quotes, line
    breaks, semicolons, Czech letters, negative, tiny, huge and 16-digit numbers, dates of
    years 5, 99 and 2099, no period start, a state that is not one of the choices."""
    subs = list(SubIndicator.objects.filter(plan=demo_plan).order_by("code")[:3])
    SubIndicator.objects.filter(pk=subs[0].pk).update(code="-1.1")  # a code like a formula
    SubIndicator.objects.filter(pk=subs[1].pk).update(code='kód "x";1')
    Measurement.objects.bulk_create(
        Measurement(
            plan=demo_plan,
            sub_indicator=subs[n % 3],
            date=(
                dt.date(2099, 12, 31)
                if n == 11
                else dt.date(99 if n == 7 else 2020, 1 + n % 12, 1 + (n // 12) % 28)
            ),
            period_start=dt.date(5, 3, 9) if n % 4 == 0 else None,
            value=VALUES[n % len(VALUES)],
            note=NOTES[n % len(NOTES)],
            status="jiny" if n == 5 else ("final" if n % 2 else "provisional"),
        )
        for n in range(240)
    )
    return demo_plan


def _python_only(monkeypatch, sheet, rows):
    with monkeypatch.context() as patched:
        patched.setattr(register_stream, "sql_lines", lambda *args: None)
        return register_stream.register_csv_bytes(sheet, rows)


def test_sqlite_writes_the_measurements_themselves():
    paths = register_stream.sheet_paths(MEASUREMENTS)
    labels = [
        register_stream.column_converter(column, path)
        for column, path in zip(MEASUREMENTS.columns, paths, strict=True)
    ]
    lines = register_sql_csv.sql_lines(
        MEASUREMENTS, register_rows(MEASUREMENTS, None), paths, labels
    )
    assert (lines is not None) == (connection.vendor == "sqlite")


@pytest.mark.parametrize("chunk_rows", [7, 2000])
def test_tricky_values_are_written_as_python_writes_them(tricky, monkeypatch, chunk_rows):
    monkeypatch.setattr(register_stream, "CHUNK_ROWS", chunk_rows)
    rows = register_rows(MEASUREMENTS, tricky)
    written = register_stream.register_csv_bytes(MEASUREMENTS, rows)
    assert written == _python_only(monkeypatch, MEASUREMENTS, rows)
    # (The former export, from model instances, wrote 16-digit values rounded to 15 digits
    # on SQLite, 123456789012,346: the streamed export writes the stored float exactly.)
    text = written.decode("utf-8-sig")
    assert "'-1.1;" in text  # the code is guarded like any text
    assert '"kód ""x"";1"' in text
    assert ";'=SUM(A1);" in text
    assert ";''=x;" in text
    assert ";'''x;" in text
    assert ";''-;" in text
    assert ";'a;" in text
    assert '"první\r\ndruhý"' in text
    assert ";Žluťoučký kůň úpěl ďábelské ódy;" in text
    assert ";-0,25;" in text
    assert ";99999999999,9999;" in text
    assert ";123456789012,3456;" in text
    assert ";2000000000000000;" in text
    assert ";;1. 8. 99;" in text
    assert ";31. 12. 2099;" in text
    assert "9. 3. 5;" in text
    assert ";jiny;" in text


def test_every_register_is_written_by_sqlite_as_by_python(tricky, monkeypatch):
    for sheet in SHEETS:
        rows = register_rows(sheet, tricky)
        written = register_stream.register_csv_bytes(sheet, rows)
        assert written == _python_only(monkeypatch, sheet, rows), sheet.name
