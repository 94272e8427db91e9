"""LibreOffice Calc files read into the same rows as the same table saved as XLSX."""

import datetime as dt
import resource
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from odf.element import Element
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import LineBreak, P, S, Span, Tab

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange import workbook_reader
from smartplan.exchange.table_files import TableFormat, read_tables, table_format


def _cell(value=None, **attributes):
    """A cell typed as LibreOffice types it, with the text it displays."""
    if value is None:
        return TableCell(**attributes)
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attributes)
        cell.addElement(P(text="PRAVDA" if value else "NEPRAVDA"))
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value), **attributes)
        cell.addElement(P(text=str(value).replace(".", ",")))
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
        cell.addElement(P(text=f"{value.day}. {value.month}. {value.year}"))
    else:
        cell = TableCell(valuetype="string", **attributes)
        for line in str(value).split("\n"):
            cell.addElement(P(text=line))
    return cell


def _row(*cells, repeated=None):
    row = TableRow(numberrowsrepeated=repeated) if repeated else TableRow()
    for cell in cells:
        row.addElement(cell if isinstance(cell, Element) else _cell(cell))
    return row


def _rest_of_row():
    # LibreOffice closes every row with the unused rest of the columns (up to 16 384).
    return TableCell(numbercolumnsrepeated="16380")


def _save(path, tables):
    document = OpenDocumentSpreadsheet()
    for name, rows in tables.items():
        table = Table(name=name)
        table.addElement(TableColumn(numbercolumnsrepeated="16384"))
        for row in rows:
            table.addElement(row)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _stack_ods(path):
    heading = _cell("Nové projekty 2021", numbercolumnsspanned="4")
    formula = TableCell(valuetype="float", value="3.5", formula="of:=[.D3]+[.D4]")
    formula.addElement(P(text="3,5"))
    rows = [
        _row("P.č.", "Oblast", "Projekt / opatření", "Finance (mil. Kč)", _rest_of_row()),
        _row(heading, CoveredTableCell(numbercolumnsrepeated="3"), _rest_of_row()),
        _row(45, "Energetický management", "Úspory\nv budovách", 1.5, _rest_of_row()),
        _row(46, "Doprava", "Cyklostezka", 2, _rest_of_row()),
        _row(_cell(), _cell(), "Celkem", formula, _rest_of_row()),
        _row(TableCell(numbercolumnsrepeated="16384"), repeated="1048571"),
    ]
    return _save(path, {"Zásobník projektů": rows})


def _stack_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zásobník projektů"
    ws.append(["P.č.", "Oblast", "Projekt / opatření", "Finance (mil. Kč)"])
    ws.append(["Nové projekty 2021"])
    ws.merge_cells("A2:D2")
    ws.append([45, "Energetický management", "Úspory\nv budovách", 1.5])
    ws.append([46, "Doprava", "Cyklostezka", 2])
    ws.append([None, None, "Celkem", 3.5])
    wb.save(path)
    return path


def test_a_calc_file_reads_like_the_same_xlsx(tmp_path):
    ods = _stack_ods(tmp_path / "zasobnik.ods")
    xlsx = _stack_xlsx(tmp_path / "zasobnik.xlsx")
    assert table_format(ods) is TableFormat.ODS
    from_ods = read_tables(ods, source_name="zasobnik.ods")
    from_xlsx = read_tables(xlsx, source_name="zasobnik.xlsx")
    assert from_ods["Zásobník projektů"].rows == from_xlsx["Zásobník projektů"].rows
    rows = dict(from_ods["Zásobník projektů"].rows)
    assert rows[2] == ("Nové projekty 2021",) * 4  # the merged heading across the table
    assert rows[5][3] == 3.5  # the formula's saved value
    assert type(rows[3][0]) is int
    assert type(rows[3][3]) is float
    assert len(rows) == 5  # the million repeated empty rows cost nothing


def test_typed_values_and_text_markup(tmp_path):
    text = TableCell(valuetype="string")
    paragraph = P(text="a")
    paragraph.addElement(S(c="3"))
    paragraph.addText("b")
    paragraph.addElement(Tab())
    paragraph.addText("c")
    paragraph.addElement(LineBreak())
    span = Span(text="tučně")
    paragraph.addElement(span)
    text.addElement(paragraph)
    text.addElement(P(text="druhý odstavec"))
    moment = TableCell(valuetype="date", datevalue="2020-02-05T13:30:00")
    percent = TableCell(valuetype="percentage", value="0.25")
    currency = TableCell(valuetype="currency", value="1250", currency="CZK")
    path = _save(
        tmp_path / "typy.ods",
        {
            "List1": [
                _row(dt.date(2020, 2, 5), True, False, 7, -0.5, _rest_of_row()),
                _row(text, moment, percent, currency, _rest_of_row()),
            ]
        },
    )
    rows = dict(read_tables(path)["List1"].rows)
    assert rows[1][:5] == (dt.date(2020, 2, 5), True, False, 7, -0.5)
    assert rows[2][:4] == (
        "a   b\tc\ntučně\ndruhý odstavec",
        dt.datetime(2020, 2, 5, 13, 30),
        0.25,
        1250,
    )


def test_repeats_spans_and_covered_cells(tmp_path):
    down = _cell("Oblast A", numberrowsspanned="3", numbercolumnsspanned="2")
    hidden = CoveredTableCell(valuetype="string")
    hidden.addElement(P(text="skryto sloučením"))
    path = _save(
        tmp_path / "spojene.ods",
        {
            "List1": [
                _row(
                    down, CoveredTableCell(), _cell("x", numbercolumnsrepeated="3"), _rest_of_row()
                ),
                # A covered cell may keep text hidden by the merge; the user does not see it.
                _row(CoveredTableCell(), hidden, "y", _rest_of_row()),
                _row(CoveredTableCell(numbercolumnsrepeated="2"), _rest_of_row()),
                _row(_rest_of_row(), repeated="3"),
                _row("po mezeře", _cell(), _cell(), _cell(), _cell(), "F", _rest_of_row()),
                _row(_rest_of_row(), repeated="1048570"),
            ]
        },
    )
    rows = read_tables(path)["List1"].rows
    assert [number for number, _ in rows] == [1, 2, 3, 4, 5, 6, 7]
    width = 6
    assert rows[0][1] == ("Oblast A", "Oblast A", "x", "x", "x", None)
    assert rows[1][1] == ("Oblast A", "Oblast A", "y", None, None, None)
    assert rows[2][1] == ("Oblast A", "Oblast A", None, None, None, None)
    assert rows[3][1] == (None,) * width
    assert rows[6][1] == ("po mezeře", None, None, None, None, "F")


def test_hidden_rows_and_columns_are_read(tmp_path):
    hidden = TableRow(visibility="collapse")
    hidden.addElement(_cell("skrytý"))
    path = _save(tmp_path / "skryte.ods", {"List1": [_row("viditelný"), hidden]})
    assert [values for _, values in read_tables(path)["List1"].rows] == [
        ("viditelný",),
        ("skrytý",),
    ]


def test_sheets_filter_and_several_sheets(tmp_path):
    path = _save(tmp_path / "listy.ods", {"A": [_row(1)], "B": [_row(2)], "C": [_row(3)]})
    assert list(read_tables(path)) == ["A", "B", "C"]
    assert {name: data.rows for name, data in read_tables(path, sheets={"B"}).items()} == {
        "B": [(1, (2,))]
    }


def test_formula_without_saved_value_is_a_problem(tmp_path):
    bare = TableCell(formula="of:=[.A1]*2")
    path = _save(tmp_path / "vzorec.ods", {"Výpočet": [_row(1, bare)]})
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name="můj výpočet.ods")
    text = str(caught.value)
    assert "můj výpočet.ods" in text
    assert "list Výpočet" in text
    assert "řádek 1" in text
    assert "sloupec B" in text
    assert "vzorec bez uloženého výsledku" in text
    assert str(tmp_path) not in text


def test_link_to_another_file_warns(tmp_path):
    linked = TableCell(valuetype="string", formula="of:=['file:///C:/rozpocet.ods'#$List1.A1]")
    linked.addElement(P(text="Odbor dopravy"))
    path = _save(tmp_path / "odkaz.ods", {"List1": [_row("Garant", linked)]})
    data = read_tables(path)["List1"]
    assert data.rows == [(1, ("Garant", "Odbor dopravy"))]
    assert [str(w) for w in data.warnings] == [
        "list List1, řádek 1, sloupec B: „Odbor dopravy“ hodnota převzatá z odkazu na jiný "
        "soubor, zkontrolujte ji"
    ]


def test_a_value_beyond_the_column_limit_is_refused_with_its_cell(tmp_path):
    far = _row(_cell(numbercolumnsrepeated="16383"), "útok")
    path = _save(tmp_path / "xfd.ods", {"List1": [_row("a"), far]})
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name="xfd.ods")
    assert "řádek 2, sloupec XFD" in str(caught.value)
    assert "nejvýše 256 sloupců" in str(caught.value)


def test_a_value_repeated_across_the_row_is_cut_at_the_limit_and_refused(tmp_path):
    path = _save(
        tmp_path / "plny.ods", {"List1": [_row(_cell("x", numbercolumnsrepeated="16384"))]}
    )
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "sloupec IW" in str(caught.value)


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_ROWS", 10)
    path = _save(tmp_path / "mnoho.ods", {"List1": [_row("a", repeated="30")]})
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "více než 10 řádků" in str(caught.value)


def _rewrite(source, target, member, change):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = change(data)
            new.writestr(item, data)
    return target


def test_entities_and_truncated_content_are_refused(tmp_path):
    good = _stack_ods(tmp_path / "dobry.ods")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "hahahahaha">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    bomb = _rewrite(
        good,
        tmp_path / "smich.ods",
        "content.xml",
        lambda data: laughs + data.split(b"?>", 1)[1].replace(b"Doprava", b"&b;"),
    )
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(bomb, source_name="smich.ods")
    assert "DTD" in str(caught.value)
    assert "content.xml" in str(caught.value)
    cut = _rewrite(good, tmp_path / "useknuty.ods", "content.xml", lambda data: data[:-200])
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(cut, source_name="useknuty.ods")
    assert "useknuty.ods" in str(caught.value)
    assert "poškozen" in str(caught.value)


def test_zip_bomb_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_UNPACKED_BYTES", 10 * 1024 * 1024)
    path = tmp_path / "bomba.ods"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b" " * (20 * 1024 * 1024))
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "rozbalení" in str(caught.value)


def test_memory_stays_bounded_for_huge_repeats(tmp_path):
    """Thousands of rows each with a value far right and a claimed million-row tail."""
    rows = [_row(_cell(numbercolumnsrepeated="16383"), f"v{number}") for number in range(6000)]
    rows.append(_row(_rest_of_row(), repeated="1042000"))
    path = _save(tmp_path / "daleko.ods", {"List1": rows})
    script = (
        "import resource, sys\n"
        "import django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "from django.utils import translation\n"
        "translation.activate('cs')\n"
        "from pathlib import Path\n"
        "from smartplan.core.problems import ImportRefusedError\n"
        "from smartplan.exchange.table_files import read_tables\n"
        "try:\n"
        "    read_tables(Path(sys.argv[1]), source_name='daleko.ods')\n"
        "    print('READ')\n"
        "except ImportRefusedError as exc:\n"
        "    print(str(exc).splitlines()[1])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "smartplan.settings"},
    )
    first, peak_kb = result.stdout.strip().splitlines()[-2:]
    assert "sloupec XFD" in first
    assert int(peak_kb) < 300 * 1024, peak_kb
    assert resource  # the parent's own usage is not what is measured
