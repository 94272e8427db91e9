"""The writers: exact values in CSV and JSON, text cells in XLSX, a CSV that breaks its
schema is caught by the CSV on the Web validation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import csvw  # type: ignore[import-untyped]
import pytest
from openpyxl import load_workbook

from smartplan.exchange.formula_guard import text_unguard
from smartplan.opendata import writers
from smartplan.opendata.datasets import Column, Dataset, Text, dataset
from smartplan.plans.models import Plan
from smartplan.resources.models import Resource

TRICKY = ["=SUM(A1:A9)", "+420 123", "-5", "@celkem", 'uvozovky " a, čárka', "řádek\nnový"]


def _fake(rows: list[tuple[Any, ...]]) -> tuple[Dataset, list[tuple[Any, ...]]]:
    item = Dataset(
        key="zkouska",
        title=Text("Zkouška", "Test"),
        description=Text("Popis", "Description"),
        keywords=(Text("a", "a"),),
        themes=(),
        periodicity="",
        model=Resource,
        order_by=("id",),
        columns=(
            Column("text", Text("Text", "Text"), "string", "title"),
            Column("cislo", Text("Číslo", "Number"), "decimal", "id"),
            Column("datum", Text("Datum", "Date"), "date", "added_on"),
            Column("ano", Text("Ano", "Yes"), "boolean", "id"),
        ),
    )
    return item, rows


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.5000"), "12.5"),
        (Decimal("100.0000"), "100"),
        (Decimal("-0.2500"), "-0.25"),
        (Decimal("0E-4"), "0"),
        (Decimal("1234567.89"), "1234567.89"),
    ],
)
def test_decimals_are_plain_with_a_point(value: Decimal, text: str) -> None:
    assert writers.decimal_text(value) == text


def test_csv_keeps_every_text_and_runs_none() -> None:
    item, rows = _fake([(t, Decimal("1.50"), dt.date(2021, 3, 5), True) for t in TRICKY])
    body = b"".join(writers.csv_chunks(item, rows)).decode("utf-8")
    read = list(csv.reader(io.StringIO(body, newline="")))
    assert read[0] == ["text", "cislo", "datum", "ano"]
    # A text a spreadsheet would run as a formula gets a leading apostrophe; removing it
    # (text_unguard) gives every text back exactly.
    assert [r[0] for r in read[1:5]] == ["'=SUM(A1:A9)", "'+420 123", "'-5", "'@celkem"]
    assert [text_unguard(r[0]) for r in read[1:]] == TRICKY
    assert read[1][1:] == ["1.5", "2021-03-05", "true"]


def test_empty_values_are_empty_cells_and_null() -> None:
    item, rows = _fake([(None, None, None, False)])
    body = b"".join(writers.csv_chunks(item, rows)).decode()
    assert body.splitlines()[1] == ",,,false"
    document = json.loads(b"".join(writers.json_chunks(item, Plan(slug="x"), rows)))
    assert document["rows"] == [{"text": None, "cislo": None, "datum": None, "ano": False}]


def test_json_is_one_documented_object_with_exact_numbers() -> None:
    item, rows = _fake([(t, Decimal("0.1000"), dt.date(2021, 3, 5), True) for t in TRICKY])
    raw = b"".join(writers.json_chunks(item, Plan(slug="liberec-2020"), rows))
    document = json.loads(raw, parse_float=Decimal)
    assert document["dataset"] == "zkouska"
    assert document["plan"] == "liberec-2020"
    assert document["title"] == {"cs": "Zkouška", "en": "Test"}
    assert [c["name"] for c in document["columns"]] == ["text", "cislo", "datum", "ano"]
    assert [r["text"] for r in document["rows"]] == TRICKY
    assert document["rows"][0]["cislo"] == Decimal("0.1")
    assert document["rows"][0]["datum"] == "2021-03-05"
    assert json.loads(b"".join(writers.json_chunks(item, Plan(slug="x"), [])))["rows"] == []


def test_xlsx_writes_text_as_text_never_a_formula(tmp_path: Path) -> None:
    item, rows = _fake([(t, Decimal("2.5"), dt.date(2021, 3, 5), True) for t in TRICKY])
    path = tmp_path / "a.xlsx"
    with path.open("wb") as out:
        writers.write_xlsx(item, rows, out)
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in cells[0]] == ["text", "cislo", "datum", "ano"]
    assert [row[0].value for row in cells[1:]] == TRICKY
    assert all(row[0].data_type == "s" for row in cells[1:])
    assert [row[0].quotePrefix for row in cells[1:]] == [True, True, True, True, False, False]
    assert cells[1][1].value == 2.5
    assert cells[1][2].value == dt.datetime(2021, 3, 5)
    assert cells[1][3].value is True


def test_a_csv_that_breaks_its_schema_fails_validation(demo_plan: Plan, tmp_path: Path) -> None:
    item = dataset("projekty")
    metadata = writers.csv_metadata(item, demo_plan)
    (tmp_path / "projekty.csv-metadata.json").write_text(json.dumps(metadata))
    header = ",".join(item.column_names)
    good = ["1", "Projekt", "", "Oblast", *[""] * (len(item.columns) - 6), "true", ""]
    (tmp_path / "projekty.csv").write_text(header + "\r\n" + ",".join(good) + "\r\n")
    assert csvw.CSVW(str(tmp_path / "projekty.csv-metadata.json"), validate=True).is_valid
    bad = ["jedna", *good[1:]]  # not an integer
    (tmp_path / "projekty.csv").write_text(header + "\r\n" + ",".join(bad) + "\r\n")
    assert not csvw.CSVW(str(tmp_path / "projekty.csv-metadata.json"), validate=True).is_valid
    missing = [good[0], "", *good[2:]]  # a required column empty
    (tmp_path / "projekty.csv").write_text(header + "\r\n" + ",".join(missing) + "\r\n")
    assert not csvw.CSVW(str(tmp_path / "projekty.csv-metadata.json"), validate=True).is_valid


def test_the_chunked_csv_is_what_csv_writer_writes_row_by_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each column is written from remembered fields and the rows joined in C: the bytes
    are those of csv.writer writing each row, for every tricky value and chunk size."""
    texts = [*TRICKY, "", None, "'=x", "a\r\nb", "čárka, ano", "' mezera", "obyčejný text"]
    numbers = [Decimal("1.50"), Decimal("-0.2500"), Decimal("0E-4"), Decimal("100"), None]
    dates = [dt.date(2021, 3, 5), dt.date(99, 1, 1), None]
    rows = [
        (
            texts[n % len(texts)],
            numbers[n % 5],
            dates[n % 3],
            [True, False, None][n % 2 + n % 3 // 2],
        )
        for n in range(300)
    ]
    item, _ = _fake(rows)
    buffer = io.StringIO()
    reference = csv.writer(buffer, lineterminator="\r\n")
    reference.writerow(item.column_names)
    for row in rows:
        reference.writerow([writers.csv_cell(value) for value in row])
    for chunk_rows in (7, 2000):
        monkeypatch.setattr(writers, "ROWS_PER_CHUNK", chunk_rows)
        chunks = list(writers.csv_chunks(item, iter(rows)))
        assert b"".join(chunks) == buffer.getvalue().encode()
        assert len(chunks) == 1 + -(-len(rows) // chunk_rows)
