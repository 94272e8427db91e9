"""Any table written as CSV the way exports and offices write it reads back identically.

One exception is by design: a Windows-1250 file one of whose non-ASCII lines is also valid
UTF-8 as a whole (Windows-1250's "ŮŚ" are UTF-8's "ٌ") cannot be told from a file that
mixes the two encodings, and is refused as one, naming that row.
"""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.formula_guard import text_guard
from smartplan.exchange.table_files import read_tables

CP1250_TEXT = st.text(
    alphabet=st.characters(
        codec="cp1250", exclude_categories=("Cs", "Cc"), include_characters="\n\t\r"
    ),
    max_size=30,
)
HEADER = ["Název", "Oblast", "Stav", "Poznámka"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CP1250_TEXT, min_size=4, max_size=4), min_size=1, max_size=8),
    encoding=st.sampled_from(["cp1250", "utf-8-sig", "utf-8"]),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_any_guarded_table_reads_back_identically(rows, encoding, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([[text_guard(cell) for cell in row] for row in rows])
    data = buffer.getvalue().encode(encoding)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        if encoding == "cp1250" and _a_line_reads_as_utf8(data):
            with pytest.raises(ImportRefusedError, match="míchá dvě kódování"):
                read_tables(path, source_name="tabulka.csv")
            return
        sheet = read_tables(path, source_name="tabulka.csv")["tabulka"]
    expected = [tuple(HEADER), *(tuple(cell or None for cell in row) for row in rows)]
    assert [values for _number, values in sheet.rows] == expected


def _a_line_reads_as_utf8(data):
    for line in data.replace(b"\r", b"\n").split(b"\n"):
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return True
    return False


def test_a_windows_1250_line_that_is_also_utf8_is_refused_as_a_mix(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("Název;Poznámka\r\nx;ŮŚ\r\n".encode("cp1250"))
    with pytest.raises(ImportRefusedError, match="řádek 2"):
        read_tables(path, source_name="tabulka.csv")
