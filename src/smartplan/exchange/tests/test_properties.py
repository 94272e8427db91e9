"""Hypothesis: workbooks and CSV files with random and hostile cells never crash the import
and never write anything partially; every table smartplan exports (XLSX, ODS, CSV) reads
and imports back identically, texts that look like formulas included."""

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.columns import clean_text
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.ods_writer import plan_ods_save
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.register_export import register_csv, register_ods, register_xlsx
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.exchange.table_files import read_tables
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=1/0",
            "=SUM(A1:A9)",
            "1,35",
            "1 234,5",
            "Realizováno",
            "NaN",
            "inf",
            "-0",
            "Doprava",
            "DOPRAVA ",
            "Odbor dopravy",
            "SBĚR DOPRAVNÍCH DAT",
            "ano",
            "\x00",
            "9" * 40,
            "31. 2. 2020",
            "5. 2. 2020",
            "<script>",
            "'; DROP TABLE x; --",
        ]
    ),
)
cell = st.one_of(
    st.none(),
    hostile_text,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
STACK_HEADER = [
    "P.č.",
    "Oblast",
    "Projekt / opatření",
    "Popis",
    "Stav",
    "Finance (mil. Kč)",
    "Doba realizace (roky)",
    "Garant",
    "Fishe",
    "Poznámka",
]


def _snapshot(plan):
    return list(
        StackItem.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("pk", "number", "name", "finance_mil", "status")
    )


def _clean_cell(value):
    # openpyxl refuses control characters in cells; a real file cannot hold them either.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return value


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=12), min_size=0, max_size=8))
def test_stack_sheet_with_hostile_cells(demo_plan, rows):
    before = _snapshot(demo_plan)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "z.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Zásobník projektů"
        ws.append(STACK_HEADER)
        for row in rows:
            ws.append([_clean_cell(v) for v in row])
        wb.save(path)
        try:
            workbook_import(path=path, plan_slug=demo_plan.slug)
        except ImportRefusedError as refused:
            assert refused.problems  # noqa: PT017 - a property test may refuse or accept
            assert _snapshot(demo_plan) == before
        else:
            after = {number: name for _pk, number, name, _f, _s in _snapshot(demo_plan)}
            assert len(after) >= len(before)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.lists(hostile_text, min_size=0, max_size=6), max_size=8),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250"]),
)
def test_measurement_csv_with_hostile_cells(demo_plan, lines, separator, encoding):
    before = Measurement.objects.count()
    header = separator.join(["indikátor", "datum", "hodnota", "poznámka"])
    body = "\n".join(separator.join(cells) for cells in lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.csv"
        path.write_bytes(f"{header}\n{body}\n".encode(encoding, errors="replace"))
        try:
            result = measurements_import(plan=demo_plan, path=path)
        except ImportRefusedError as refused:
            assert refused.problems  # noqa: PT017 - a property test may refuse or accept
            assert Measurement.objects.count() == before
        else:
            assert Measurement.objects.count() == before + result.created


# Exports read back identically. A text is generated as a user could store it: any
# characters XML can hold (XLSX and ODS are XML; control characters other than tab and line
# break are left out of them), often starting with a formula trigger, an apostrophe or an
# Excel error sign, and as the import stores text (clean_text: no edge or double spaces).
TRIGGER_STARTS = ["=", "+", "-", "@", "'", "'=", "''", "'+", "\t=", "#", "#N/A", "_x0041_"]
xml_characters = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n")
stored_text = st.builds(
    lambda start, rest: clean_text(start + rest),
    st.one_of(st.just(""), st.sampled_from(TRIGGER_STARTS)),
    st.text(xml_characters, max_size=30),
)
dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 12, 31))
# Up to 15 significant digits: the exports write a float, which holds them exactly.
values = st.decimals(min_value=-(10**10), max_value=10**10, places=4, allow_nan=False)
measurement = st.fixed_dictionaries(
    {
        "code": stored_text.filter(bool),
        "period_start": st.none() | dates,
        "date": dates,
        "value": values,
        "status": st.sampled_from(["provisional", "final"]),
        "note": stored_text,
    }
)
REGISTER_WRITERS = {"xlsx": register_xlsx, "ods": register_ods, "csv": register_csv}


def _measurement(fields):
    """An unsaved measurement (the export reads attributes only: no database needed)."""
    return Measurement(
        sub_indicator=SubIndicator(code=fields["code"]),
        period_start=fields["period_start"],
        date=fields["date"],
        value=fields["value"],
        status=fields["status"],
        note=fields["note"],
    )


def _expected(fields):
    return (
        fields["code"],
        fields["period_start"],
        fields["date"],
        fields["value"],
        fields["status"],
        fields["note"] or None,
        None,
    )


def _register_reads_back(rows, fmt):
    """Register export -> read_tables -> the columns' parsing gives every value back:
    texts exactly (formula-like ones too), numbers, dates, coded values."""
    content = REGISTER_WRITERS[fmt](MEASUREMENTS, [_measurement(fields) for fields in rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mereni.{fmt}"
        path.write_bytes(content)
        (sheet,) = read_tables(path).values()
    header, *body = [cells for _number, cells in sheet.rows]
    assert list(header) == MEASUREMENTS.headers
    width = len(MEASUREMENTS.columns)
    read = [
        tuple(column.parse(raw) for column, raw in zip(MEASUREMENTS.columns, cells, strict=False))
        + (None,) * (width - len(cells))
        for cells in body
    ]
    assert read == [_expected(fields) for fields in rows]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(measurement, min_size=1, max_size=6), fmt=st.sampled_from(["xlsx", "ods"]))
def test_a_register_workbook_reads_back_identically(rows, fmt):
    _register_reads_back(rows, fmt)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(measurement, min_size=1, max_size=6))
def test_a_register_csv_reads_back_identically(rows):
    _register_reads_back(rows, "csv")


def _stack_texts(plan):
    return list(
        StackItem.objects.filter(plan=plan)
        .order_by("number")
        .values_list("number", "name", "description", "note", "finance_mil")
    )


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(stored_text, min_size=3, max_size=3),
    name=stored_text.filter(bool),
    finance=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
)
def test_the_plan_workbook_imports_back_identically(demo_plan, texts, name, finance, fmt):
    """Plan workbook export (XLSX, ODS) -> import into the same plan: everything as it was,
    whatever the texts (a description "=HYPERLINK(…)" included)."""
    item = StackItem.objects.filter(plan=demo_plan).order_by("number").first()
    item.name = name
    item.description, item.note, demo_plan.description = texts
    item.finance_mil = finance
    item.save()
    demo_plan.save()
    before = _stack_texts(demo_plan)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan.{fmt}"
        (plan_workbook_save if fmt == "xlsx" else plan_ods_save)(plan=demo_plan, target=path)
        StackItem.objects.filter(pk=item.pk).update(description="přepsáno", note="", name="x")
        workbook_import(path=path, plan_slug=demo_plan.slug)
    assert _stack_texts(demo_plan) == before
    demo_plan.refresh_from_db()
    assert demo_plan.description == texts[2]
