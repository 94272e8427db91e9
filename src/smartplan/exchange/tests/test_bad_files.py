"""Broken and hostile files are refused with a clear message; the database stays unchanged."""

import re
import shutil
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange import workbook_reader
from smartplan.exchange.plan_import import workbook_import
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(demo_plan):
    def take():
        return list(
            StackItem.objects.filter(plan=demo_plan)
            .order_by("pk")
            .values_list("pk", "name", "finance_mil", "updated_at")
        )

    return take


def _refused(path, **kwargs):
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path, **kwargs)
    return str(caught.value)


def test_not_a_workbook(tmp_path, demo_plan):
    path = tmp_path / "plan.xlsx"
    path.write_text("P.č.;Oblast\n1;Doprava\n", encoding="utf-8")
    # Read as a CSV table: none of the plan's sheets, and it says which ones it expected.
    assert "listů plánu" in _refused(path, plan_slug=demo_plan.slug)


def test_encrypted_or_old_xls(tmp_path, demo_plan):
    path = tmp_path / "heslo.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 2000)
    assert "heslem" in _refused(path, plan_slug=demo_plan.slug)


def test_zip_bomb_is_refused_before_reading(tmp_path, demo_plan, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_UNPACKED_BYTES", 10 * 1024 * 1024)
    path = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    assert "rozbalení" in _refused(path, plan_slug=demo_plan.slug)


def test_too_many_rows(tmp_path, demo_plan, monkeypatch, snapshot):
    monkeypatch.setattr(workbook_reader, "MAX_ROWS", 50)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zásobník projektů"
    ws.append(["P.č.", "Oblast", "Projekt / opatření", "Stav"])
    for number in range(1, 80):
        ws.append([number, "Doprava", f"Položka {number}", 4])
    wb.save(tmp_path / "velky.xlsx")
    before = snapshot()
    assert "více než 50" in _refused(tmp_path / "velky.xlsx", plan_slug=demo_plan.slug)
    assert snapshot() == before


def _stack_workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zásobník projektů"
    ws.append(
        ["P.č.", "Oblast", "Projekt / opatření", "Stav", "Finance (mil. Kč)", "Garant", "Fishe"]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_every_problem_is_listed_with_its_place(tmp_path, demo_plan, snapshot):
    path = _stack_workbook(
        tmp_path / "z.xlsx",
        [
            [1, "Doprava", "Nový název", 2, 9, "Odbor dopravy", None],  # fine on its own
            [2, "Doprava", "Dvojka", 7, 1, None, None],  # status out of range
            [3, "Doprava", "Trojka", 1, 1, "Odbor kouzel", None],  # unknown department
            [3, "Doprava", "Trojka znovu", 1, 1, None, None],  # duplicate key
            [4, "Doprava", "Čtyřka", 1, 1, None, "NEEXISTUJÍCÍ PROJEKT"],  # unknown flagship
            [5, None, "Pětka", 1, 1, None, None],  # a required cell empty
        ],
    )
    before = snapshot()
    text = _refused(path, plan_slug=demo_plan.slug)
    for expected in (
        "řádek 3, sloupec Stav",
        "řádek 4, sloupec Garant",
        "Odbor kouzel",
        "řádek 5",
        "řádek 4",
        "řádek 6, sloupec Fishe",
        "řádek 7, sloupec Oblast",
    ):
        assert expected in text, expected
    assert snapshot() == before  # row 1's change was not kept either


def test_formula_results_are_used_and_missing_ones_refused(tmp_path, demo_plan):
    path = _stack_workbook(
        tmp_path / "f.xlsx", [[60, "Doprava", "S výpočtem", 4, "=1+1", None, None]]
    )
    assert "vzorec bez uloženého výsledku" in _refused(path, plan_slug=demo_plan.slug)
    # The same cell with the value Excel saves beside the formula.
    cached = tmp_path / "g.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(cached, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes "<v></v>" or "<v />", depending on whether lxml is installed.
                pattern = rb"<f>1\+1</f><v\s*(/>|></v>)"
                data, replaced = re.subn(pattern, b"<f>1+1</f><v>2</v>", data)
                assert replaced == 1
            target.writestr(item, data)
    workbook_import(path=cached, plan_slug=demo_plan.slug)
    assert StackItem.objects.get(plan=demo_plan, number=60).finance_mil == 2


def test_empty_and_foreign_workbooks(tmp_path, demo_plan):
    wb = openpyxl.Workbook()
    wb.active.append(["Jméno", "Příjmení"])
    wb.save(tmp_path / "cizi.xlsx")
    assert "žádný z listů" in _refused(tmp_path / "cizi.xlsx", plan_slug=demo_plan.slug)


def test_missing_plan(tmp_path, exported):
    shutil.copy(exported, tmp_path / "x.xlsx")
    assert "neexistuje" in _refused(tmp_path / "x.xlsx", plan_slug="jiny-plan")


def test_replace_removes_rows_the_workbook_no_longer_has(tmp_path, demo_plan):
    path = _stack_workbook(
        tmp_path / "r.xlsx",
        [[1, "Doprava", "Jediná položka", 2, 8, "Odbor dopravy", "SBĚR DOPRAVNÍCH DAT"]],
    )
    dry = workbook_import(path=path, plan_slug=demo_plan.slug, replace=True, dry_run=True)
    assert next(s for s in dry.sheets if s.name == "Zásobník projektů").removed == 52
    assert StackItem.objects.filter(plan=demo_plan).count() == 53  # dry run wrote nothing
    workbook_import(path=path, plan_slug=demo_plan.slug, replace=True)
    assert list(StackItem.objects.filter(plan=demo_plan).values_list("name", flat=True)) == [
        "Jediná položka"
    ]


STACK_HEADER = [
    "P.č.",
    "Oblast",
    "Projekt / opatření",
    "Stav",
    "Finance (mil. Kč)",
    "Garant",
    "Fishe",
]


def _stack_ods(path, rows):
    """A stack table saved by LibreOffice Calc: typed cells, the sheet's unused rest."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Zásobník projektů")
    for values in [STACK_HEADER, *rows]:
        row = TableRow()
        for value in values:
            if value is None:
                row.addElement(TableCell())
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=str(value))
                cell.addElement(P(text=str(value)))
                row.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
        row.addElement(TableCell(numbercolumnsrepeated="16377"))
        table.addElement(row)
    rest = TableRow(numberrowsrepeated="1048570")
    rest.addElement(TableCell(numbercolumnsrepeated="16384"))
    table.addElement(rest)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _stack_docx(path, rows):
    """A stack table typed into a Word report: every value is text, decimal commas."""
    from docx import Document

    document = Document()
    document.add_paragraph("Zásobník projektů k 31. 12. 2020")
    table = document.add_table(rows=1 + len(rows), cols=len(STACK_HEADER))
    for number, values in enumerate([STACK_HEADER, *rows]):
        for column, value in enumerate(values):
            table.cell(number, column).text = "" if value is None else str(value)
    document.save(str(path))
    return path


def test_a_calc_stack_table_imports(tmp_path, demo_plan):
    path = _stack_ods(
        tmp_path / "zasobnik.ods", [[1, "Doprava", "Název z Calcu", 2, 9.5, "Odbor dopravy", None]]
    )
    workbook_import(path=path, plan_slug=demo_plan.slug)
    item = StackItem.objects.get(plan=demo_plan, number=1)
    assert (item.name, item.finance_mil) == ("Název z Calcu", Decimal("9.5"))


def test_a_word_stack_table_imports(tmp_path, demo_plan):
    path = _stack_docx(
        tmp_path / "zprava.docx",
        [["1", "Doprava", "Název z Wordu", "2", "9,5", "Odbor dopravy", ""]],
    )
    workbook_import(path=path, plan_slug=demo_plan.slug)
    item = StackItem.objects.get(plan=demo_plan, number=1)
    assert (item.name, item.finance_mil) == ("Název z Wordu", Decimal("9.5"))


def _with_dtd(source, target, member):
    entity = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = data.replace(b"?>", b"?>" + entity, 1) if b"?>" in data else entity + data
            new.writestr(item, data)
    return target


def test_hostile_calc_and_word_files_write_nothing(tmp_path, demo_plan, snapshot):
    row = [1, "Doprava", "Jiný název", 2, 9, "Odbor dopravy", None]
    ods = _with_dtd(_stack_ods(tmp_path / "a.ods", [row]), tmp_path / "zly.ods", "content.xml")
    docx = _with_dtd(
        _stack_docx(tmp_path / "a.docx", [row]), tmp_path / "zly.docx", "word/document.xml"
    )
    before = snapshot()
    for path in (ods, docx):
        text = _refused(path, plan_slug=demo_plan.slug)
        assert path.name in text
        assert "DTD" in text
    assert snapshot() == before


def test_a_value_in_column_xfd_is_refused_and_nothing_written(tmp_path, demo_plan, snapshot):
    path = _stack_workbook(
        tmp_path / "xfd.xlsx", [[1, "Doprava", "Jiný název", 2, 9, "Odbor dopravy", None]]
    )
    wb = openpyxl.load_workbook(path)
    for row in range(3, 500):
        wb.active.cell(row=row, column=16384, value="x")
    wb.save(path)
    before = snapshot()
    text = _refused(path, plan_slug=demo_plan.slug)
    assert "řádek 3, sloupec XFD: „x“" in text
    assert snapshot() == before
