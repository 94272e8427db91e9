"""Every refusal of a CSV names the file the user uploaded, never the server's copy."""

import pytest

from smartplan.core import csv_reader
from smartplan.core.problems import ImportRefusedError
from smartplan.exchange import csv_table
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.table_files import read_tables
from smartplan.indicators.models import Measurement

pytestmark = pytest.mark.django_db

USER_NAME = "Měření kraje 2021.csv"
SERVER_NAME = "5f0c3a9e1b2d4c6e8a7b9d0e1f2a3b4c.csv"

CASES = {
    "missing column": "Indikátor;Hodnota\n1.1;3\n".encode("cp1250"),
    "empty": b"",
    "NUL": "Indikátor;Datum;Hodnota\n".encode("cp1250") + b"1.1;2021-12-31;3\x00\n",
    "mixed encodings": "Indikátor;Datum;Hodnota;Poznámka\n".encode()
    + "6.1;2022-09-01;1;Žďár\n".encode("cp1250"),
    "bad values": "Indikátor;Datum;Hodnota\n9.9;32. 1. 2022;x\n".encode("cp1250"),
    "broken quoting": b'Indikator;Datum;Hodnota\n1.1;2021-12-31;"' + b"x" * 140_000 + b"\n",
    "too many rows": b"Indikator;Datum;Hodnota\n" + b"6.1;2022-09-01;1\n" * 30,
}


@pytest.mark.parametrize("case", CASES)
def test_measurement_refusals_name_the_uploaded_file(demo_plan, tmp_path, case, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_ROWS", 20)
    path = tmp_path / SERVER_NAME
    path.write_bytes(CASES[case])
    with pytest.raises(ImportRefusedError) as caught:
        measurements_import(plan=demo_plan, path=path, source_name=USER_NAME)
    text = str(caught.value)
    assert text.startswith(f"{USER_NAME} nebyl naimportován"), text
    assert SERVER_NAME[:8] not in text
    assert Measurement.objects.count() == 0


def test_too_large_files_name_the_uploaded_file(demo_plan, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_BYTES", 10)
    monkeypatch.setattr(csv_table, "MAX_FILE_BYTES", 10)
    path = tmp_path / SERVER_NAME
    path.write_bytes(b"Indikator;Datum;Hodnota\n")
    for read in (
        lambda: measurements_import(plan=demo_plan, path=path, source_name=USER_NAME),
        lambda: read_tables(path, source_name=USER_NAME),
    ):
        with pytest.raises(ImportRefusedError) as caught:
            read()
        assert str(caught.value).startswith(f"{USER_NAME} nebyl naimportován")


@pytest.mark.parametrize("case", ["NUL", "mixed encodings", "broken quoting"])
def test_table_refusals_name_the_uploaded_file(tmp_path, case):
    path = tmp_path / SERVER_NAME
    path.write_bytes(CASES[case])
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name=USER_NAME)
    assert str(caught.value).startswith(f"{USER_NAME} nebyl naimportován")
