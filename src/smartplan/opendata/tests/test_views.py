"""Downloads: every dataset of the demo plan in every format, valid against its metadata."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import csvw  # type: ignore[import-untyped]
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.opendata import sql_csv, writers
from smartplan.opendata.datasets import Dataset, datasets, distributions
from smartplan.opendata.models import DownloadCount
from smartplan.opendata.services import download_count_add
from smartplan.plans.models import Plan

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


def _get(client: Client, path: str) -> Any:
    return client.get(path, HTTP_USER_AGENT=BROWSER_UA)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("key", [item.key for item in datasets()])
def test_every_csv_validates_against_its_csvw_metadata(
    demo_plan: Plan, client: Client, tmp_path: Path, key: str
) -> None:
    csv_dist = next(d for d in distributions(demo_plan, key) if d.format == "csv")
    assert csv_dist.schema_path is not None
    csv_response = _get(client, csv_dist.download_path)
    meta_response = _get(client, csv_dist.schema_path)
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert meta_response["Content-Type"].startswith("application/csvm+json")
    assert csv_response["Access-Control-Allow-Origin"] == "*"
    (tmp_path / f"{key}.csv").write_bytes(_body(csv_response))
    metadata = json.loads(meta_response.content)
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
    assert metadata["url"] == f"{key}.csv"
    (tmp_path / f"{key}.csv-metadata.json").write_bytes(meta_response.content)
    validator = csvw.CSVW(str(tmp_path / f"{key}.csv-metadata.json"), validate=True)
    assert validator.is_valid, [str(w.message) for w in validator.warnings]
    rows = list(csv.reader(io.StringIO((tmp_path / f"{key}.csv").read_text("utf-8"))))
    assert rows[0] == [column["name"] for column in metadata["tableSchema"]["columns"]]


@pytest.mark.parametrize("key", [item.key for item in datasets()])
def test_json_and_xlsx_hold_the_same_rows_as_the_csv(
    demo_plan: Plan, client: Client, tmp_path: Path, key: str
) -> None:
    paths = {d.format: d.download_path for d in distributions(demo_plan, key)}
    csv_rows = list(csv.reader(io.StringIO(_body(_get(client, paths["csv"])).decode())))
    response = _get(client, paths["json"])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(_body(response))
    assert [c["name"] for c in document["columns"]] == csv_rows[0]
    assert len(document["rows"]) == len(csv_rows) - 1
    assert all(list(row) == csv_rows[0] for row in document["rows"])
    response = _get(client, paths["xlsx"])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="liberec-2020-{key}.xlsx"' in response["Content-Disposition"]
    (tmp_path / "a.xlsx").write_bytes(_body(response))
    sheet = load_workbook(tmp_path / "a.xlsx", read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == csv_rows[0]
    assert len(rows) == len(csv_rows)
    # Text cells are the CSV's text exactly (first column of each row).
    if csv_rows[0][0] in {"kod", "nazev", "obec", "cislo"} and len(rows) > 1:
        assert str(rows[1][0]) == csv_rows[1][0]


@pytest.mark.parametrize(
    "path",
    [
        "/data/liberec-2020/projekty.csv",
        "/data/liberec-2020/projekty.json",
        "/data/liberec-2020/projekty.xlsx",
        "/data/liberec-2020/projekty.csv-metadata.json",
    ],
)
def test_a_private_plan_has_no_open_data(demo_plan: Plan, client: Client, path: str) -> None:
    assert _get(client, path).status_code == 200
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    assert _get(client, path).status_code == 404
    # Only the download of the published plan counts; the schema is no download.
    assert DownloadCount.objects.count() == (
        0 if path.endswith(".json") and "metadata" in path else 1
    )


def test_an_unknown_dataset_or_plan_is_404(demo_plan: Plan, client: Client) -> None:
    assert _get(client, "/data/liberec-2020/neni.csv").status_code == 404
    assert _get(client, "/data/neni-plan/projekty.csv").status_code == 404
    assert client.post("/data/liberec-2020/projekty.csv").status_code == 405


def test_downloads_are_counted_per_distribution_without_robots(
    demo_plan: Plan, client: Client
) -> None:
    for _ in range(3):
        _body(_get(client, "/data/liberec-2020/mereni.csv"))
    _body(_get(client, "/data/liberec-2020/mereni.json"))
    _body(client.get("/data/liberec-2020/mereni.csv", HTTP_USER_AGENT="Googlebot/2.1"))
    _body(client.get("/data/liberec-2020/mereni.csv"))  # no User-Agent: a script
    client.head("/data/liberec-2020/mereni.csv", HTTP_USER_AGENT=BROWSER_UA)
    _get(client, "/data/liberec-2020/mereni.csv-metadata.json")  # the schema is no download
    counts = {(c.dataset, c.format): c.count for c in DownloadCount.objects.filter(plan=demo_plan)}
    assert counts == {("mereni", "csv"): 3, ("mereni", "json"): 1}


def test_counting_is_one_update_once_the_row_exists(demo_plan: Plan, client: Client) -> None:
    _body(_get(client, "/data/liberec-2020/zdroje.csv"))
    with CaptureQueriesContext(connection) as queries:
        download_count_add(plan=demo_plan, dataset="zdroje", fmt="csv")
    assert len(queries) == 1
    assert "UPDATE" in queries[0]["sql"]
    assert '"count" + 1' in queries[0]["sql"]


def _measurements(plan: Plan, total: int) -> None:
    subs = list(SubIndicator.objects.filter(plan=plan).values_list("pk", flat=True))
    Measurement.objects.filter(plan=plan).delete()
    start = dt.date(1900, 1, 1)
    per_sub = total // len(subs) + 1
    batch = [
        Measurement(
            plan=plan,
            sub_indicator_id=sub,
            date=start + dt.timedelta(days=n),
            value=Decimal(n) / 7,
            note='=HYPERLINK("x")' if n == 0 else "",
            status="final",
        )
        for sub in subs
        for n in range(per_sub)
    ][:total]
    Measurement.objects.bulk_create(batch, batch_size=2000)


def _peak_while_streaming(client: Client) -> tuple[int, int]:
    response = _get(client, "/data/liberec-2020/mereni.csv")
    assert response.streaming
    tracemalloc.start()
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\r\n")
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines, peak


def test_a_large_csv_streams_in_flat_memory(demo_plan: Plan, client: Client) -> None:
    """Ten times the rows, about the same peak memory: nothing holds the whole table."""
    _measurements(demo_plan, 4000)
    small_lines, small_peak = _peak_while_streaming(client)
    _measurements(demo_plan, 40000)
    large_lines, large_peak = _peak_while_streaming(client)
    assert (small_lines, large_lines) == (4001, 40001)
    assert large_peak < small_peak * 2, (small_peak, large_peak)
    assert large_peak < 5 * 1024 * 1024


def test_the_first_bytes_leave_before_the_rows_are_read(
    demo_plan: Plan, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _measurements(demo_plan, 20000)
    consumed = 0
    original = Dataset.rows

    def counted(self: Dataset, plan: Plan, **kwargs: Any) -> Iterator[tuple[Any, ...]]:
        nonlocal consumed
        for row in original(self, plan, **kwargs):
            consumed += 1
            yield row

    original_lines = sql_csv.raw_row_chunks

    def counted_lines(*args: Any, **kwargs: Any) -> Iterator[list[Any]]:
        nonlocal consumed
        for chunk in original_lines(*args, **kwargs):
            consumed += len(chunk)
            yield chunk

    monkeypatch.setattr(Dataset, "rows", counted)
    # On SQLite the CSV's lines come from SQLite (sql_csv), not from Dataset.rows.
    monkeypatch.setattr(sql_csv, "raw_row_chunks", counted_lines)
    for fmt in ("csv", "json"):
        consumed = 0
        chunks = iter(_get(client, f"/data/liberec-2020/mereni.{fmt}").streaming_content)
        first = next(chunks)
        assert first.startswith(b"kod,obdobi_od" if fmt == "csv" else b'{"dataset"')
        assert consumed == 0
        next(chunks)
        assert 0 < consumed <= writers.ROWS_PER_CHUNK
        rest = sum(1 for _ in chunks)
        assert rest > 0
        assert consumed == 20000


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_download_costs_the_same_queries_whatever_the_size(
    demo_plan: Plan, client: Client, fmt: str
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _body(_get(client, f"/data/liberec-2020/mereni.{fmt}"))
        return len(captured)

    queries()  # the first download creates the count's row
    small = queries()
    assert small <= 6
    # Values of n / 7 are stored with more decimals than the field keeps (4): on SQLite
    # Python writes them (sql_csv), read by one more query however many there are.
    _measurements(demo_plan, 500)
    some = queries()
    assert some <= small + (1 if fmt == "csv" else 0)
    _measurements(demo_plan, 5000)
    assert queries() == some
