"""Any table written as CSV the way exports and offices write it reads back identically."""

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        sheet = read_tables(path, source_name="tabulka.csv")["tabulka"]
    expected = [tuple(HEADER), *(tuple(cell or None for cell in row) for row in rows)]
    assert [values for _number, values in sheet.rows] == expected
