"""The ODS export is written a row at a time: a valid OpenDocument package other readers
open (odfpy, LibreOffice), every text kept as written, and a flat memory whatever the
number of rows (odfpy, used before, needed about 13 kB a row and refused 50 000 rows)."""

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree as DefusedET
from django.urls import reverse
from lxml import etree  # type: ignore[import-untyped]
from odf.opendocument import load
from odf.table import Table

from smartplan.exchange.ods_package import MIMETYPE, TABLE
from smartplan.exchange.ods_reader import read_ods
from smartplan.exchange.ods_writer import plan_ods_save, register_ods_save
from smartplan.exchange.registers import STACK
from smartplan.exchange.tests.test_ods_export import ods_cells
from smartplan.exchange.workbook_writer import register_rows
from smartplan.stack.models import StackItem

PARTS = ["mimetype", "content.xml", "styles.xml", "settings.xml", "meta.xml"]


@pytest.mark.django_db
def test_the_plan_ods_is_a_valid_opendocument_package(demo_plan, tmp_path):
    path = tmp_path / "plan.ods"
    plan_ods_save(plan=demo_plan, target=path)
    with path.open("rb") as handle:
        start = handle.read(100)
    # A file manager recognises the file from its first bytes: the mimetype entry first,
    # stored, its content at a fixed offset (30-byte header, the 8-byte name, no extra).
    assert start[30:38] == b"mimetype"
    assert start[38 : 38 + len(MIMETYPE)] == MIMETYPE.encode()
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert infos[0].extra == b""
        assert sorted(info.filename for info in infos) == sorted([*PARTS, "META-INF/manifest.xml"])
        assert archive.testzip() is None
        manifest = DefusedET.fromstring(archive.read("META-INF/manifest.xml"))
        for name in PARTS[1:]:
            DefusedET.fromstring(archive.read(name))  # every part is well-formed XML
    ns = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
    listed = {e.get(f"{ns}full-path"): e.get(f"{ns}media-type") for e in manifest}
    assert listed["/"] == MIMETYPE
    assert set(listed) == {"/", *PARTS[1:]}
    # odfpy, an independent reader, opens it and finds the same sheets.
    document = load(str(path))
    assert document.mimetype == MIMETYPE
    names = [str(t.getAttribute("name")) for t in document.spreadsheet.getElementsByType(Table)]
    assert names[0] == "Vysvětlivky"
    assert "Měření" in names
    assert names[-1] == "Číselníky"


@pytest.mark.django_db
def test_texts_keep_their_spaces_tabs_and_lines_and_nothing_runs(demo_plan, tmp_path):
    """ODF collapses runs of spaces and drops one at a paragraph's edge unless written as
    <text:s>: what the user typed comes back, read by smartplan and by odfpy."""
    odd = ["  dvě mezery vpředu", "konec ", "a  b\tc", "=1+1", "řádek 1\nřádek 2", " "]
    for number, name in enumerate(odd, start=1):
        StackItem.objects.filter(plan=demo_plan, number=number).update(name=name)
    path = tmp_path / "plan.ods"
    plan_ods_save(plan=demo_plan, target=path)
    stack = read_ods(path, sheets={"Zásobník projektů"})["Zásobník projektů"].rows
    column = list(stack[0][1]).index("Projekt / opatření")
    read = [values[column] for _number, values in stack[1:7]]
    assert read == odd
    rows = ods_cells(str(path))["Zásobník projektů"]
    assert ("string", "=1+1") in rows[4]


def _calc() -> bool:
    """Whether LibreOffice with its spreadsheet (Calc) is installed: the package holding
    ``soffice`` may come with Writer alone, which cannot load a spreadsheet."""
    found = shutil.which("soffice")
    return found is not None and (Path(found).resolve().parent / "libsclo.so").exists()


@pytest.mark.skipif(not _calc(), reason="LibreOffice Calc is not installed")
@pytest.mark.django_db
def test_libreoffice_opens_the_register(demo_plan, tmp_path):
    path = tmp_path / "zasobnik.ods"
    register_ods_save(STACK, register_rows(STACK, demo_plan), path)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (tmp_path / "zasobnik.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["P.č.", "Oblast", "Projekt / opatření"]
    assert len(rows) == 1 + StackItem.objects.filter(plan=demo_plan).count()
    first = StackItem.objects.filter(plan=demo_plan).order_by("number").first()
    assert rows[1][2] == first.name


@pytest.mark.django_db
def test_the_download_is_the_file_as_written(coordinator_client, demo_plan, tmp_path):
    response = coordinator_client.get(reverse("admin:plans_plan_export_ods", args=[demo_plan.pk]))
    assert response.status_code == 200
    sent = b"".join(response.streaming_content)
    path = tmp_path / "plan.ods"
    plan_ods_save(plan=demo_plan, target=path)
    # Same package, bar meta.xml's creation time.
    with zipfile.ZipFile(io.BytesIO(sent)) as a, zipfile.ZipFile(path) as b:
        assert a.read("content.xml") == b.read("content.xml")


MEMORY_CHILD = r"""
import datetime as dt, sys
from decimal import Decimal
import django
django.setup()
from smartplan.exchange.ods_package import OdsPackage
from smartplan.exchange.ods_writer import _register_sheet
from smartplan.exchange.registers import MEASUREMENTS

model = MEASUREMENTS.model
sub = model._meta.get_field("sub_indicator").related_model(code="1.1")

def rows(count):
    for n in range(count):
        yield model(sub_indicator=sub, date=dt.date(2000, 1, 1) + dt.timedelta(days=n % 9000),
                    value=Decimal(n) / 100, status="final", note=f"poznámka {n}")

def peak():
    return int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))

for count in (10_000, int(sys.argv[2])):
    with open(sys.argv[1], "wb") as out, OdsPackage(out) as package:
        _register_sheet(package, MEASUREMENTS, rows(count))
    print(count, peak())
"""


def test_memory_stays_flat_for_200_000_rows(tmp_path):
    """The same register written with 10 000 then 200 000 rows in a fresh process: the
    second, ten times longer, raises the process's peak by no more than a few MB."""
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(tmp_path / "mereni.ods"), "200000"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "smartplan.settings"},
        timeout=300,
    )
    (_, small_kb), (rows, large_kb) = (
        map(int, line.split()) for line in result.stdout.strip().splitlines()[-2:]
    )
    assert rows == 200_000
    assert large_kb - small_kb < 8 * 1024, (small_kb, large_kb)
    assert large_kb < 200 * 1024, large_kb
    day = dt.date(2000, 1, 1) + dt.timedelta(days=199_999 % 9000)
    # Every row is in the file, the last one whole (read in a stream, row by row).
    with zipfile.ZipFile(tmp_path / "mereni.ods") as archive, archive.open("content.xml") as xml:
        rows, last = 0, None
        for _event, row in etree.iterparse(xml, tag=f"{{{TABLE}}}table-row"):
            if last is not None:
                last.clear()
            if row.get(f"{{{TABLE}}}number-rows-repeated") is None:
                rows += 1
                last = row
        assert rows == 1 + 200_000
        assert last is not None
        texts = ["".join(cell.itertext()) for cell in last]
        assert texts[:5] == ["1.1", "", f"{day.day}. {day.month}. {day.year}", "1999,99", "konečná"]
