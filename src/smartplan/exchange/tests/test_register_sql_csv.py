"""SQLite writes the register CSV's lines itself (register_sql_csv): byte for byte what the
Python converters write, for the values that are hard to write the same way."""

import pytest
from django.db import connection

from smartplan.exchange import register_sql_csv, register_stream
from smartplan.exchange.registers import MEASUREMENTS, SHEETS
from smartplan.exchange.tests.tricky_values import tricky_measurements
from smartplan.exchange.workbook_writer import register_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def tricky(demo_plan):
    """Values whose CSV text is easy to get wrong (tricky_values): every formula trigger,
    quotes, line breaks, semicolons, Czech letters, negative, tiny, huge and 16-digit
    numbers, dates of years 5, 99 and 2099, no period start, a state that is not one of
    the choices."""
    return tricky_measurements(demo_plan)


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
