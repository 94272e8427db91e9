"""Imports of any length in bounded memory: the measurements' CSV read a row at a time and
written in batches (all or nothing), CSV files scanned in chunks, and the measurement
sheet of a plan's ODS streamed like the XLSX one."""

import tracemalloc
import zipfile

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from smartplan.core import csv_reader
from smartplan.core.models import ChangeSet
from smartplan.core.problems import ImportRefusedError
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.exchange import workbook_reader
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.ods_writer import plan_ods_save
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.register_stream import register_csv_bytes
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.exchange.table_files import read_tables
from smartplan.exchange.workbook_reader import HEAD_ROWS
from smartplan.indicators.models import Measurement

pytestmark = pytest.mark.django_db


def _measurements(plan):
    return sorted(
        Measurement.objects.filter(plan=plan).values_list(
            "sub_indicator__code", "date", "period_start", "value", "note", "status"
        )
    )


@pytest.fixture
def generated(db):
    return synthetic_plans_generate(plans=1, scale=2, seed=13, measurements_per_sub=5)[0].plan


@pytest.fixture
def exported_csv(generated, tmp_path):
    """The plan's measurements as the register's CSV export writes them."""
    path = tmp_path / "mereni.csv"
    rows = Measurement.objects.filter(plan=generated).order_by("sub_indicator__code", "date")
    path.write_bytes(register_csv_bytes(MEASUREMENTS, rows))
    return path


# -- the measurements' CSV ---------------------------------------------------------------


def test_the_csv_export_imports_back_in_batches_exactly(generated, exported_csv, batches):
    before = _measurements(generated)
    count = len(before)
    Measurement.objects.filter(plan=generated).delete()
    change_sets = ChangeSet.objects.count()
    result = measurements_import(plan=generated, path=exported_csv, label="mereni.csv")
    assert (result.created, result.updated, result.unchanged) == (count, 0, 0)
    assert _measurements(generated) == before
    assert len(batches) > count // 28
    assert max(batches) <= 28
    assert sum(batches) == count
    assert ChangeSet.objects.count() == change_sets + 1
    batches.clear()
    with CaptureQueriesContext(connection) as captured:
        again = measurements_import(plan=generated, path=exported_csv)
    assert (again.created, again.updated, again.unchanged) == (0, 0, count)
    assert not [q for q in captured.captured_queries if q["sql"].lstrip().startswith("INSERT")]
    assert len(batches) > 1


def test_a_dry_run_in_batches_counts_all_and_writes_nothing(generated, exported_csv, batches):
    count = len(_measurements(generated))
    Measurement.objects.filter(plan=generated).delete()
    change_sets = ChangeSet.objects.count()
    result = measurements_import(plan=generated, path=exported_csv, dry_run=True)
    assert result.created == count
    assert len(batches) > 1
    assert not Measurement.objects.filter(plan=generated).exists()
    assert ChangeSet.objects.count() == change_sets


def test_a_date_given_again_after_many_batches_names_the_first_row(
    generated, exported_csv, batches
):
    lines = exported_csv.read_bytes().splitlines(keepends=True)
    exported_csv.write_bytes(b"".join([*lines, lines[1]]))  # the first value again, at the end
    before = _measurements(generated)
    with translation.override("cs"), pytest.raises(ImportRefusedError) as refused:
        measurements_import(plan=generated, path=exported_csv)
    problems = refused.value.problems
    assert [(p.row, p.column) for p in problems] == [(len(lines) + 1, "datum")]
    with translation.override("cs"):
        assert str(problems[0]).endswith("stejný dílčí indikátor a datum jako řádek 2")
    assert len(batches) > 3
    assert _measurements(generated) == before


def test_a_problem_in_the_last_batch_undoes_the_batches_written_before(
    generated, exported_csv, batches
):
    lines = exported_csv.read_bytes().splitlines(keepends=True)
    cells = lines[-1].split(b";")
    cells[3] = "hodně".encode()  # the value column of the export (Czech: ";", "7,1")
    exported_csv.write_bytes(b"".join([*lines[:-1], b";".join(cells)]))
    rows = len(lines)
    Measurement.objects.filter(plan=generated).delete()
    with translation.override("cs"), pytest.raises(ImportRefusedError) as refused:
        measurements_import(plan=generated, path=exported_csv)
    assert [(p.row, p.column) for p in refused.value.problems] == [(rows, "hodnota")]
    assert len(batches) > 3
    assert not Measurement.objects.filter(plan=generated).exists()


def test_the_csv_row_limit_is_the_workbooks_not_200_000():
    """A file smartplan wrote (a national plan's million measurements) is not refused."""
    assert csv_reader.MAX_ROWS == settings.IMPORT_MAX_ROWS >= 1_048_575


# -- CSV files scanned in chunks -------------------------------------------------------------

CASES = {
    "utf-8": "Indikátor;Datum\n1.1;Žďár\r\n2;x\n".encode(),
    "bom": b"\xef\xbb\xbf" + "kód,datum\n1,Žďár\n".encode(),
    "bom then windows-1250": b"\xef\xbb\xbf" + "kód;x\n1;Žďár\n".encode("cp1250"),
    "windows-1250": "Indikátor;Datum\r1.1;Žďár\r2;ř\r".encode("cp1250"),
    "mixed": "Indikátor;Poznámka\n".encode() + b"1;x\n" * 40 + "2;Žďár\n".encode("cp1250"),
    "mixed the other way": "Indikátor;Poznámka\n".encode("cp1250") + "2;Žďár\n".encode(),
    "NUL after a quoted line break": b'a;b\n"x\ny";1\n2;3\x00\n',
    "no text": b"a;b\n1;\x81\x98\n" + "ř\n".encode("cp1250"),
}


def _read(path):
    try:
        return csv_reader.csv_text(path, source_name="soubor.csv")
    except ImportRefusedError as refused:
        return [(p.row, p.message) for p in refused.problems]


@pytest.mark.parametrize("case", CASES)
def test_files_read_in_tiny_chunks_read_as_in_one(tmp_path, monkeypatch, case):
    """Line ends, characters and rows cut by a chunk's end change nothing: the same text,
    or the same refusal naming the same row."""
    path = tmp_path / "soubor.csv"
    path.write_bytes(CASES[case])
    whole = _read(path)
    for size in (1, 2, 3, 5, 8):
        monkeypatch.setattr(csv_reader, "CHUNK", size)
        assert _read(path) == whole, size
    expected = {
        "utf-8": "Indikátor;Datum\n1.1;Žďár\r\n2;x\n",
        "bom": "kód,datum\n1,Žďár\n",
        "bom then windows-1250": "kód;x\n1;Žďár\n",
        "windows-1250": "Indikátor;Datum\r1.1;Žďár\r2;ř\r",
    }
    if case in expected:
        assert whole == expected[case]
    else:
        assert isinstance(whole, list)
        assert len(whole) == 1
        assert (
            whole[0][0]
            == {
                "mixed": 42,
                "mixed the other way": 2,
                "NUL after a quoted line break": 3,
                "no text": 2,
            }[case]
        )


def test_reading_a_csv_holds_a_row_not_the_file(tmp_path):
    """A 16 MB file in Windows-1250 read row by row: the memory of a few chunks."""
    path = tmp_path / "velky.csv"
    line = "1.1;31. 12. 2021;4 250,5;Stažení za rok – odhad, Žďár nad Sázavou\n".encode("cp1250")
    path.write_bytes(b"kod;datum;hodnota;poznamka\n" + line * 250_000)
    tracemalloc.start()
    try:
        rows = sum(
            1
            for _row in csv_reader.read_csv(
                path, required={"indicator": ("kod",)}, optional={"note": ("poznamka",)}
            )
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 250_000
    assert path.stat().st_size > 15 * 2**20
    assert peak < 10 * 2**20, peak  # read whole, it took 16 MB of bytes and 32 MB of text


# -- the plan's ODS ----------------------------------------------------------------------------


def test_the_ods_measurement_sheet_is_streamed_and_imports_back(generated, tmp_path):
    path = tmp_path / "plan.ods"
    plan_ods_save(plan=generated, target=path)
    whole = read_tables(path)[MEASUREMENTS.name]
    streamed = read_tables(path, stream=frozenset({MEASUREMENTS.name}))[MEASUREMENTS.name]
    assert whole.stream is None
    assert streamed.stream is not None
    assert len(whole.rows) > 100
    assert [number for number, _values in streamed.rows] == list(range(1, HEAD_ROWS + 1))
    filled = [
        (number, values[: max(i + 1 for i, v in enumerate(values) if v is not None)])
        for number, values in whole.rows
        if any(v is not None for v in values)
    ]
    assert list(streamed.all_rows()) == filled
    before = _measurements(generated)
    Measurement.objects.filter(plan=generated).delete()
    report = workbook_import(path=path, plan_slug=generated.slug)
    sheet = next(s for s in report.sheets if s.name == MEASUREMENTS.name)
    assert sheet.created == len(before)
    assert _measurements(generated) == before


def _ods(path, rows):
    document = OpenDocumentSpreadsheet()
    table = Table(name=MEASUREMENTS.name)
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string", **({"formula": "of:=1+1"} if value == "=" else {}))
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def test_an_ods_with_a_formula_is_read_whole_even_when_streaming_is_asked(tmp_path):
    path = _ods(tmp_path / "vzorec.ods", [["Dílčí indikátor", "Datum"], ["1.1", "="]])
    data = read_tables(path, stream=frozenset({MEASUREMENTS.name}))[MEASUREMENTS.name]
    assert data.stream is None
    assert data.rows == [(1, ("Dílčí indikátor", "Datum")), (2, ("1.1", "="))]


def test_a_streamed_ods_sheet_refuses_a_broken_file_by_name(tmp_path):
    path = _ods(tmp_path / "a.ods", [["Dílčí indikátor", "Datum"]] * (HEAD_ROWS + 20))
    data = read_tables(path, stream=frozenset({MEASUREMENTS.name}), source_name="moje.ods")
    sheet = data[MEASUREMENTS.name]
    path.write_bytes(path.read_bytes()[:-300])  # cut after it was opened
    with translation.override("cs"), pytest.raises(ImportRefusedError) as refused:
        list(sheet.all_rows())
    assert str(refused.value).startswith("moje.ods")


def test_a_plans_own_ods_within_the_row_limit_unpacks_within_the_limit_a_bomb_does_not(
    tmp_path,
):
    """The 100x plan's ODS (982 452 measurements) unpacks to 662 MB, ~700 bytes a row; a
    file packed 1 000 times tighter than any spreadsheet is still refused."""
    assert workbook_reader.MAX_UNPACKED_BYTES >= settings.IMPORT_MAX_ROWS * 700
    path = tmp_path / "bomba.ods"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b" " * (40 * 1024 * 1024))
    with translation.override("cs"), pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "rozbalení" in str(caught.value)
