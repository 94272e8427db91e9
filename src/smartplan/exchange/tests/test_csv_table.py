"""CSV files as tables (read_tables), written the way Czech Excel and other systems do."""

import csv

import pytest

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.formula_guard import text_guard
from smartplan.exchange.table_files import read_tables

ROWS = [
    ["Č.", "Název projektu", "Oblast", "Náklady (tis. Kč)", "Poznámka"],
    ["45", "Energetický management budov", "Energetický management", "1 250,5", ""],
    ["48", "Retence vody – Žluťoučký kůň", "Hospodaření s vodou", "", '=HYPERLINK("x")'],
]


def _excel_csv(path, rows, *, encoding="cp1250", delimiter=";"):
    """As Excel's "CSV (oddělený středníkem)" saves it: Windows-1250, semicolons, CRLF."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(
            [[text_guard(cell) for cell in row] for row in rows]
        )


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1250", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-8-sig", "\t"), ("cp1250", "\t")],
)
def test_csv_reads_as_one_sheet_named_after_the_users_file(tmp_path, encoding, delimiter):
    path = tmp_path / "a1b2c3.csv"  # the server's copy
    _excel_csv(path, ROWS, encoding=encoding, delimiter=delimiter)
    tables = read_tables(path, source_name="Zásobník projektů.csv")
    assert list(tables) == ["Zásobník projektů"]
    rows = tables["Zásobník projektů"].rows
    assert rows[0] == (1, tuple(ROWS[0]))
    assert rows[1] == (
        2,
        ("45", "Energetický management budov", "Energetický management", "1 250,5", None),
    )
    # The export's apostrophe before formula-like text is gone: the text is as it was.
    assert rows[2][1][4] == '=HYPERLINK("x")'
    assert rows[2][1][3] is None


def test_guarded_text_reads_back_exactly(tmp_path):
    texts = ["=1+1", "+420 123", "-5 %", "@user", "'quoted", "''=x", "'=x", "plain"]
    path = tmp_path / "texts.csv"
    _excel_csv(path, [["text"], *([t] for t in texts)], encoding="utf-8-sig")
    raw = path.read_text(encoding="utf-8-sig")
    assert "'=1+1" in raw  # no spreadsheet runs it
    rows = read_tables(path)["texts"].rows
    assert [values[0] for _, values in rows[1:]] == texts


def test_sheet_filter_and_quoted_multiline_cells(tmp_path):
    path = tmp_path / "stack.csv"
    path.write_bytes('č;popis\r\n1;"dva\r\nřádky; se středníkem"\r\n2;x\r\n'.encode("cp1250"))
    assert read_tables(path, sheets={"jiný"}) == {}
    rows = read_tables(path, sheets={"stack"})["stack"].rows
    assert rows == [(1, ("č", "popis")), (2, ("1", "dva\r\nřádky; se středníkem")), (3, ("2", "x"))]


def test_refusals_name_the_users_file_and_the_row(tmp_path):
    path = tmp_path / "tmp9f8e7d.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 3000 + b"3;\x004\n")  # NUL far past 4 KB
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name="moje tabulka.csv")
    text = str(caught.value)
    assert text.startswith("moje tabulka.csv nebyl naimportován")
    assert "tmp9f8e7d" not in text
    assert "řádek 3002: Řádek obsahuje znak NUL" in text


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_rows_then_windows_1250_rows_are_refused_at_the_first_foreign_row(tmp_path, bom):
    path = tmp_path / "slepeno.csv"
    first = "název;oblast\r\nČistá řeka;Hospodaření s vodou\r\nA;B\r\n".encode()
    second = "Úspory energie;Energetický management\r\n".encode("cp1250")
    path.write_bytes(bom + first + second)
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name="slepeno.csv")
    assert str(caught.value).splitlines()[1] == (
        "- řádek 4: Soubor míchá dvě kódování: tento řádek je v Windows-1250, řádky nad ním "
        "v UTF-8. Uložte celý soubor znovu v jednom kódování."
    )


def test_windows_1250_rows_then_utf8_rows_are_refused(tmp_path):
    path = tmp_path / "slepeno.csv"
    path.write_bytes("název;oblast\n".encode("cp1250") + b"x;y\n" + "Žďár;Čistá řeka\n".encode())
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "řádek 3: Soubor míchá dvě kódování: tento řádek je v UTF-8" in str(caught.value)


def test_row_limit_is_configurable(tmp_path):
    from smartplan.exchange.csv_table import read_csv_table

    path = tmp_path / "big.csv"
    path.write_text("a;b\n" + "1;2\n" * 10, encoding="utf-8")
    assert len(read_csv_table(path, max_rows=11).rows) == 11
    with pytest.raises(ImportRefusedError) as caught:
        read_csv_table(path, max_rows=10)
    assert "Soubor má více než 10 řádků; rozdělte jej." in str(caught.value)


def test_refusals_count_rows_as_excel_does_after_a_cell_with_line_breaks(tmp_path):
    path = tmp_path / "popisy.csv"
    head = 'č;popis\r\n1;"první\r\ndruhý\r\ntřetí řádek"\r\n'.encode("cp1250")
    path.write_bytes(head + "2;Čistá řeka\r\n".encode())
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "- řádek 3: Soubor míchá dvě kódování" in str(caught.value)  # line 5 of the file
    path.write_bytes(head + b"2;x\x00\r\n")
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "- řádek 3: Řádek obsahuje znak NUL" in str(caught.value)


def test_old_mac_line_ends_and_apostrophes_that_are_not_quotes(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes("název;poznámka\r'A';'=B'\r'';x\r".encode("cp1250"))
    rows = read_tables(path)["mac"].rows
    # "''" is how an export guards a lone apostrophe ("'" followed by "'"): it reads as "'".
    assert rows == [(1, ("název", "poznámka")), (2, ("'A'", "=B'")), (3, ("'", "x"))]


def test_windows_1250_text_with_utf8_like_byte_pairs_is_not_taken_for_a_mix(tmp_path):
    path = tmp_path / "zkratky.csv"
    # "ČŠ" is C8 8A in Windows-1250, a valid UTF-8 pair; the rest of the line is not UTF-8.
    path.write_bytes("kód;název\r\nČŠ;Úspory ČŠ energie\r\n".encode("cp1250"))
    assert read_tables(path)["zkratky"].rows[1] == (2, ("ČŠ", "Úspory ČŠ energie"))


def test_a_file_of_separators_alone_is_refused_before_it_fills_the_memory(tmp_path, monkeypatch):
    from smartplan.exchange import csv_table

    monkeypatch.setattr(csv_table, "MAX_CELLS", 50_000)
    path = tmp_path / "prazdne.csv"
    path.write_bytes(b"a;b\r\n" + (b";" * 16_383 + b"\r\n") * 5)  # 16 384 empty cells a row
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path, source_name="prázdné.csv")
    assert "řádek 5: Soubor má více než 50\xa0000 buněk; rozdělte jej." in str(caught.value)


def test_a_table_is_limited_to_a_workbooks_size(tmp_path, monkeypatch):
    from smartplan.exchange import csv_table

    monkeypatch.setattr(csv_table, "MAX_FILE_BYTES", 2 * 2**20)
    path = tmp_path / "velky.csv"
    path.write_bytes(b"a;b\r\n" + b"1;2\r\n" * 600_000)
    with pytest.raises(ImportRefusedError) as caught:
        read_tables(path)
    assert "Soubor je větší než 2 MB." in str(caught.value)
