"""Downloads: every dataset of the demo plan in every format, valid against its metadata."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import csvw  # type: ignore[import-untyped]
import pytest
from django.test import Client

from smartplan.opendata.datasets import datasets, distributions
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
