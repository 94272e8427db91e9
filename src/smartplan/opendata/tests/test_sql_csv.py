"""SQLite writes the open data CSV's lines itself (sql_csv): byte for byte what the Python
writers write from Dataset.rows, for the values that are hard to write the same way."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartplan.exchange.tests.tricky_values import NOTES, tricky_measurements
from smartplan.indicators.models import Measurement
from smartplan.opendata import sql_csv, writers
from smartplan.opendata.datasets import dataset, datasets
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def tricky(demo_plan: Plan) -> Plan:
    """Measurements (tricky_values) and stack items whose CSV text is easy to get wrong:
    every formula trigger, quotes, commas, line breaks, Czech letters, %-signs, negative,
    tiny, huge and 16-digit numbers, dates of years 5, 99 and 2099, no period start, a
    state that is not one of the choices, codes like formulas or holding a comma."""
    tricky_measurements(demo_plan)
    items = list(StackItem.objects.filter(plan=demo_plan).order_by("number")[:4])
    for n, item in enumerate(items):
        item.name = NOTES[n + 12]
        item.description = NOTES[n + 1]
        item.finance_mil = [Decimal("0.001"), Decimal("123456789.123"), None, Decimal("12.5")][n]
        item.status = [1, 4, 2, 3][n]
        item.save()
    StackItem.objects.filter(pk=items[0].pk).update(status=9)  # no choice: written as 9
    return demo_plan


def _python_only(item_key: str, plan: Plan) -> bytes:
    item = dataset(item_key)
    return b"".join(writers.csv_chunks(item, item.rows(plan)))


def test_sqlite_writes_the_measurements_themselves(demo_plan: Plan) -> None:
    lines = sql_csv.sql_lines(dataset("mereni"), demo_plan)
    assert (lines is not None) == (connection.vendor == "sqlite")


@pytest.mark.parametrize("chunk_rows", [7, 2000])
def test_tricky_measurements_are_written_as_python_writes_them(
    tricky: Plan, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    monkeypatch.setattr(sql_csv, "CHUNK_ROWS", chunk_rows)
    written = b"".join(writers.dataset_csv_chunks(dataset("mereni"), tricky))
    assert written == _python_only("mereni", tricky)
    text = written.decode("utf-8")
    assert text.startswith("kod,obdobi_od,datum,hodnota,stav,poznamka\r\n")
    assert "\r\n'-1.1," in text  # the code is guarded like any text
    assert '\r\n"kód ""x"",1",' in text
    assert ",'=SUM(A1)\r\n" in text
    assert ",''=x\r\n" in text
    assert ",'''x\r\n" in text
    assert ",''-\r\n" in text
    assert ",'a\r\n" in text
    assert ',"první\r\ndruhý"\r\n' in text
    assert ',"řekl ""ano"""\r\n' in text
    assert ',"dva,sloupce"\r\n' in text
    assert ',""""\r\n' in text
    assert ",Žluťoučký kůň úpěl ďábelské ódy\r\n" in text
    assert ",%s %d %% %.15g\r\n" in text
    assert ',"jiný, stav",' in text
    assert ",0005-03-09,2040-" in text
    assert ",-0.25," in text
    assert ",-0.0001," in text
    assert ",99999999999.9999," in text
    # On SQLite Django reads the 16-digit float rounded to 15 digits; the file says what
    # Django reads (PostgreSQL keeps the exact numeric).
    exact = connection.vendor != "sqlite"
    assert (",123456789012.3456," if exact else ",123456789012.346,") in text
    assert ",2000000000000000," in text
    assert ",0099-05-06," in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + Measurement.objects.filter(plan=tricky).count()
    assert {len(row) for row in rows} == {6}


@pytest.mark.parametrize("key", [item.key for item in datasets()])
def test_every_dataset_is_written_as_python_writes_it(
    tricky: Plan, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setattr(sql_csv, "CHUNK_ROWS", 5)
    written = b"".join(writers.dataset_csv_chunks(dataset(key), tricky))
    assert written == _python_only(key, tricky)


def test_stack_states_are_written_with_their_czech_labels(tricky: Plan) -> None:
    text = b"".join(writers.dataset_csv_chunks(dataset("zasobnik"), tricky)).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    states = {(row[4], row[5]) for row in rows[1:]}
    assert ("9", "9") in states  # a state that is no choice: its code in both columns
    labels = dict(states)
    assert labels["4"] not in ("", "4")
    assert "," in labels["2"]  # a label with a comma: quoted like any text
    assert ',2,"' in text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite writes the lines")
def test_quoting_and_long_decimals_cost_no_query_per_chunk(
    tricky: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes to quote in every row and 16-digit values in most chunks: the lines come from
    one query and the rows Python writes from one more, whatever the number of chunks."""
    monkeypatch.setattr(sql_csv, "CHUNK_ROWS", 7)
    item = dataset("mereni")

    def queries() -> tuple[int, bytes]:
        with CaptureQueriesContext(connection) as captured:
            written = b"".join(writers.dataset_csv_chunks(item, tricky))
        return len(captured), written

    count, _written = queries()
    assert count == 2  # the lines, the rows with a value only Python writes
    Measurement.objects.filter(plan=tricky).update(note='a, "b"\r\n')
    count, written = queries()
    assert count == 2
    assert written == _python_only("mereni", tricky)
    assert written.count(b',"a, ""b""\r\n"\r\n') == Measurement.objects.filter(plan=tricky).count()
    Measurement.objects.filter(plan=tricky, value__gte=1e11).delete()
    assert queries()[0] == 1


def test_the_download_is_the_sql_writers(tricky: Plan, client: Client) -> None:
    response: Any = client.get("/data/liberec-2020/mereni.csv", HTTP_USER_AGENT=BROWSER_UA)
    assert b"".join(response.streaming_content) == _python_only("mereni", tricky)
