"""Tables of a Word document read as sheets, merged cells filled as in a workbook."""

import zipfile

import openpyxl
import pytest
from docx import Document

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange import workbook_reader
from smartplan.exchange.table_files import TableFormat, read_tables, table_format


def _report(path):
    """An annual report as people write one: text, a stack table, more text, a second table."""
    document = Document()
    document.add_heading("Výroční zpráva 2020", level=1)
    document.add_paragraph("Zásobník projektů je v tabulce níže.")
    table = document.add_table(rows=5, cols=4)
    for column, header in enumerate(["P.č.", "Oblast", "Projekt / opatření", "Finance"]):
        table.cell(0, column).text = header
    section = table.cell(1, 0).merge(table.cell(1, 3))
    section.text = "Nové projekty 2021"
    for row, values in ((2, ["45", "Energetický management", "", "1,5"]), (3, ["46", "", "", "2"])):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    # One project in two rows; its area cell merged down; a two-paragraph name.
    area = table.cell(3, 1).merge(table.cell(4, 1))
    area.text = "Hospodaření s vodou"
    name = table.cell(2, 2)
    name.text = "Úspory"
    name.add_paragraph("v budovách")
    table.cell(3, 2).text = "Retence"
    table.cell(4, 2).text = "Zálivka"
    table.cell(4, 0).text = "47"
    table.cell(4, 3).text = "5. 2. 2020"
    document.add_paragraph("Ukazatele:")
    second = document.add_table(rows=2, cols=2)
    second.cell(0, 0).text = "Název"
    second.cell(0, 1).text = "Hodnota"
    second.cell(1, 0).text = "Podíl"
    second.cell(1, 1).text = "12 %"
    document.save(str(path))
    return path


def test_each_table_is_a_sheet_with_merged_cells_filled(tmp_path):
    path = _report(tmp_path / "zprava.docx")
    assert table_format(path) is TableFormat.DOCX
    tables = read_tables(path, source_name="zpráva.docx")
    assert list(tables) == ["Tabulka 1", "Tabulka 2"]
    assert tables["Tabulka 1"].rows == [
        (1, ("P.č.", "Oblast", "Projekt / opatření", "Finance")),
        (2, ("Nové projekty 2021",) * 4),
        (3, ("45", "Energetický management", "Úspory\nv budovách", "1,5")),
        (4, ("46", "Hospodaření s vodou", "Retence", "2")),
        (5, ("47", "Hospodaření s vodou", "Zálivka", "5. 2. 2020")),
    ]
    assert tables["Tabulka 2"].rows == [(1, ("Název", "Hodnota")), (2, ("Podíl", "12 %"))]


def test_merged_rows_match_the_same_table_in_a_workbook(tmp_path):
    """A Word table and the workbook it was pasted from give the same merged values."""
    document = Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Nové projekty"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Doprava"
    for row in (1, 2):
        for column in (1, 2):
            table.cell(row, column).text = f"{row}{column}"
    document.save(str(tmp_path / "t.docx"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nové projekty"])
    ws.append(["Doprava", "11", "12"])
    ws.append([None, "21", "22"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "t.xlsx")
    from_docx = read_tables(tmp_path / "t.docx")["Tabulka 1"].rows
    from_xlsx = next(iter(read_tables(tmp_path / "t.xlsx").values())).rows
    assert from_docx == from_xlsx


def test_sheets_filter(tmp_path):
    path = _report(tmp_path / "zprava.docx")
    assert list(read_tables(path, sheets={"Tabulka 2"})) == ["Tabulka 2"]


def test_a_document_without_tables_gives_no_sheets(tmp_path):
    document = Document()
    document.add_paragraph("Jen text.")
    document.save(str(tmp_path / "text.docx"))
    assert read_tables(tmp_path / "text.docx") == {}


def _rewrite(source, target, member, change):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = change(data)
            new.writestr(item, data)
    return target


def test_a_dtd_in_the_document_is_refused(tmp_path):
    good = _report(tmp_path / "dobra.docx")
    external = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    hostile = _rewrite(
        good,
        tmp_path / "zla.docx",
        "word/document.xml",
        lambda data: data.replace(b"?>", b"?>" + external, 1).replace("Podíl".encode(), b"&x;"),
    )
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(hostile, source_name="zlá.docx")
    text = str(caught.value)
    assert "zlá.docx" in text
    assert "DTD" in text
    assert "word/document.xml" in text
    assert "root:" not in text


def test_a_truncated_document_is_refused(tmp_path):
    good = _report(tmp_path / "dobra.docx")
    cut = _rewrite(good, tmp_path / "cut.docx", "word/document.xml", lambda data: data[:-300])
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(cut, source_name="useknutá.docx")
    assert "useknutá.docx" in str(caught.value)
    assert "nelze přečíst" in str(caught.value)


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_UNPACKED_BYTES", 10 * 1024 * 1024)
    path = tmp_path / "bomba.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "rozbalení" in str(caught.value)


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_ROWS", 5)
    document = Document()
    document.add_table(rows=10, cols=2)
    document.save(str(tmp_path / "dlouha.docx"))
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(tmp_path / "dlouha.docx")
    assert "Tabulka 1" in str(caught.value)
    assert "více než 5 řádků" in str(caught.value)
