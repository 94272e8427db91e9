"""Hostile and odd workbooks: bounded memory, defused XML, formulas by type, links warned."""

import io
import os
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from django.core.management import call_command

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange import workbook_reader
from smartplan.exchange.plan_import import workbook_rows
from smartplan.exchange.table_files import read_tables
from smartplan.stack.models import StackItem

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["P.č.", "Oblast", "Projekt / opatření", "Stav"]


def _workbook(path, rows, *, title="Zásobník projektů", merged=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def _rewrite(source, target, member, change):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = change(data)
            new.writestr(item, data)
    return target


def _refusal(path, name):
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name=name)
    text = str(caught.value)
    assert name in text
    assert str(path.parent) not in text  # the user's file name, never the server's copy
    return text


MEASURE = """
import sys
import django
django.setup()
from django.utils import translation
translation.activate("cs")
from pathlib import Path
from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.table_files import read_tables
try:
    data = read_tables(Path(sys.argv[1]), source_name="daleko.xlsx")
    print("READ", {name: len(sheet.rows[-1][1]) for name, sheet in data.items()})
except ImportRefusedError as exc:
    print(str(exc).splitlines()[1])
# The peak of this process's own memory (VmHWM starts afresh at exec; ru_maxrss
# would keep the forked pytest worker's peak).
print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))
"""


def _measure(path):
    """Read the file in a fresh process; its message line and its peak RSS in MB."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "smartplan.settings"},
        timeout=300,
    )
    first, peak_kb = result.stdout.strip().splitlines()[-2:]
    return first, int(peak_kb) // 1024


def test_a_value_in_column_xfd_on_6000_rows_is_refused_in_bounded_memory(tmp_path):
    """The 294 KB workbook that drove a worker to 8.7 GB: now refused, naming the cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zásobník projektů"
    ws.append(HEADER)
    for row in range(2, 6002):
        ws.cell(row=row, column=16384, value="x")
    wb.save(tmp_path / "daleko.xlsx")
    message, peak_mb = _measure(tmp_path / "daleko.xlsx")
    assert message.startswith("- list Zásobník projektů, řádek 2, sloupec XFD: „x“")
    assert "nejvýše 256 sloupců" in message
    assert peak_mb < 300, peak_mb


def test_styled_empty_cells_far_right_and_a_huge_dimension_cost_nothing(tmp_path):
    """Formatting reaching XFD, and a <dimension> claiming the whole sheet, are no data."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in range(2, 6002):
        ws.cell(row=row, column=1, value=row)
        ws.cell(row=row, column=16384).font = openpyxl.styles.Font(bold=True)
    wb.save(tmp_path / "styly.xlsx")
    claimed = _rewrite(
        tmp_path / "styly.xlsx",
        tmp_path / "daleko.xlsx",
        SHEET,
        lambda data: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data),
    )
    message, peak_mb = _measure(claimed)
    assert message == "READ {'Sheet': 4}"  # four columns: the header's
    assert peak_mb < 300, peak_mb


def test_a_dimension_claiming_less_than_the_sheet_holds_is_not_trusted(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", [[1, "Doprava", "Most", 2]])
    wb = openpyxl.load_workbook(path)
    wb.active.cell(row=2, column=300, value="skryté daleko")
    wb.save(path)
    small = _rewrite(
        path,
        tmp_path / "b.xlsx",
        SHEET,
        lambda data: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:D2"', data),
    )
    assert "řádek 2, sloupec KN: „skryté daleko“" in _refusal(small, "b.xlsx")


def test_too_many_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_CELLS", 100)
    path = _workbook(tmp_path / "c.xlsx", [[n, "Doprava", f"P{n}", 1] for n in range(40)])
    assert "více než 100 buněk" in _refusal(path, "buňky.xlsx")


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lol [<!ENTITY a "hahahahahahahahahahaha">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
EXTERNAL = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
)


CASES = ["sheet-laughs", "workbook-laughs", "external-entity", "truncated"]


def _after_prolog(data):
    """The part's XML without its declaration (openpyxl writes one only for some parts)."""
    return data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data


def _hostile(tmp_path):
    """Each malformed workbook with the word its refusal must use."""
    good = _workbook(tmp_path / "dobry.xlsx", [[1, "Doprava", "Most", 2]])
    return {
        "sheet-laughs": (
            _rewrite(
                good,
                tmp_path / "smich.xlsx",
                SHEET,
                lambda d: LAUGHS + _after_prolog(d).replace(b"<v>2</v>", b"<v>&d;</v>"),
            ),
            "DTD",
        ),
        "workbook-laughs": (
            _rewrite(
                good,
                tmp_path / "smich-sesit.xlsx",
                "xl/workbook.xml",
                lambda d: LAUGHS + _after_prolog(d).replace(b'name="', b'name="&d;', 1),
            ),
            "DTD",
        ),
        "external-entity": (
            _rewrite(
                good,
                tmp_path / "entita.xlsx",
                SHEET,
                lambda d: EXTERNAL + _after_prolog(d).replace(b"<v>2</v>", b"<v>&secret;</v>"),
            ),
            "DTD",
        ),
        "truncated": (
            _rewrite(good, tmp_path / "useknuty.xlsx", SHEET, lambda d: d[: len(d) // 2]),
            "poškozen",
        ),
    }


@pytest.mark.parametrize("case", CASES)
def test_malformed_xml_is_refused_with_a_message(tmp_path, case):
    path, word = _hostile(tmp_path)[case]
    text = _refusal(path, f"{case}.xlsx")
    assert word in text
    assert "root:" not in text
    with pytest.raises(ImportRefusedError) as caught:
        workbook_rows(path, source_name=f"{case}.xlsx")
    assert word in str(caught.value)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_cli_refuses_malformed_xml_with_exit_code_2(tmp_path, case, demo_plan):
    path, word = _hostile(tmp_path)[case]
    before = StackItem.objects.filter(plan=demo_plan).count()
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(path), plan=demo_plan.slug, stderr=stderr)
    assert exited.value.code == 2
    assert word in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    assert StackItem.objects.filter(plan=demo_plan).count() == before


def test_the_installed_cli_prints_no_traceback(tmp_path):
    """The real console script, in its own process, on a billion-laughs workbook."""
    path, _word = _hostile(tmp_path)["sheet-laughs"]
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "smartplan"), "import", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "SMARTPLAN_DATA_DIR": str(tmp_path / "data"), "LANG": "cs_CZ.UTF-8"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "DTD" in result.stderr


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML, functions

    assert DEFUSEDXML
    assert functions.iterparse.__module__.startswith("defusedxml")


def test_text_that_looks_like_a_formula_is_text(tmp_path):
    """Formulas are told by the cell's type: a string "=HYPERLINK(…)" reads back unchanged."""
    text = '=HYPERLINK("https://example.org","web")'
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "Doprava", text, "=2+2"])
    ws["C2"].data_type = "s"  # as the exports write such text: a string cell, never a formula
    wb.save(tmp_path / "text.xlsx")
    with zipfile.ZipFile(tmp_path / "text.xlsx") as archive:
        sheet = archive.read(SHEET)
    assert b"<f>HYPERLINK" not in sheet  # really a string cell
    cached = _rewrite(
        tmp_path / "text.xlsx",
        tmp_path / "cached.xlsx",
        SHEET,
        lambda d: re.sub(rb"<f>2\+2</f><v\s*(/>|></v>)", b"<f>2+2</f><v>4</v>", d),
    )
    rows = dict(read_tables(cached)["Sheet"].rows)
    assert rows[2] == (1, "Doprava", text, 4)


def test_a_formula_without_a_saved_result_is_a_problem(tmp_path):
    path = _workbook(tmp_path / "f.xlsx", [[1, "Doprava", "=A1&B1", 2]])
    text = _refusal(path, "výpočet.xlsx")
    assert "řádek 2, sloupec C: „=A1&B1“ vzorec bez uloženého výsledku" in text


def test_a_value_from_a_link_to_another_file_is_kept_with_a_warning(tmp_path):
    path = _workbook(tmp_path / "l.xlsx", [[7, "Doprava", "=[1]Garanti!B3", 2]])
    linked = _rewrite(
        path,
        tmp_path / "odkaz.xlsx",
        SHEET,
        lambda d: re.sub(
            rb'<c r="C2"([^>]*)><f>(\[1\]Garanti!B3)</f><v\s*(/>|></v>)',
            '<c r="C2" t="str"><f>\\2</f><v>Most přes Labe</v>'.encode(),
            d,
        ),
    )
    data = read_tables(linked, source_name="odkaz.xlsx")["Zásobník projektů"]
    assert dict(data.rows)[2] == (7, "Doprava", "Most přes Labe", 2)
    assert [str(warning) for warning in data.warnings] == [
        "list Zásobník projektů, řádek 2, sloupec C: „Most přes Labe“ hodnota převzatá z "
        "odkazu na jiný soubor, zkontrolujte ji"
    ]


def test_merged_cells_are_filled_with_their_anchor(tmp_path):
    path = _workbook(
        tmp_path / "m.xlsx",
        [
            ["Nové projekty 2021"],
            [45, "Energetický management", "Úspory", 1],
            [46, None, "Retence", 2],
        ],
        merged=["A2:D2", "B3:B4"],
    )
    rows = dict(read_tables(path)["Zásobník projektů"].rows)
    assert rows[2] == ("Nové projekty 2021",) * 4
    assert rows[4] == (46, "Energetický management", "Retence", 2)


def test_a_merge_claiming_the_whole_sheet_stays_within_the_rows(tmp_path):
    path = _workbook(tmp_path / "m.xlsx", [["Nadpis"], [1, "Doprava", "Most", 2]])
    huge = _rewrite(
        path,
        tmp_path / "velke.xlsx",
        SHEET,
        lambda d: d.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>',
        ),
    )
    rows = read_tables(huge)["Zásobník projektů"].rows
    assert len(rows) == 3
    assert rows[1][1] == ("Nadpis",) * 256


@pytest.mark.django_db
def test_the_import_report_carries_the_link_warning(tmp_path, demo_plan):
    from smartplan.exchange.plan_import import workbook_import

    path = _workbook(tmp_path / "l.xlsx", [[7, "Doprava", "=[1]Garanti!B3", 2]])
    linked = _rewrite(
        path,
        tmp_path / "odkaz.xlsx",
        SHEET,
        lambda d: re.sub(
            rb'<c r="C2"([^>]*)><f>(\[1\]Garanti!B3)</f><v\s*(/>|></v>)',
            '<c r="C2" t="str"><f>\\2</f><v>Most přes Labe</v>'.encode(),
            d,
        ),
    )
    report = workbook_import(
        path=linked, plan_slug=demo_plan.slug, dry_run=True, source_name="odkaz.xlsx"
    )
    assert any(
        "sloupec C" in str(w) and "odkazu na jiný soubor" in str(w) for w in report.warnings
    ), report.warnings
