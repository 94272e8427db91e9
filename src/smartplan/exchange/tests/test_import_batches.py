"""A long measurement sheet goes through in batches: read row by row from the file, checked
and written a few thousand rows at a time, with the result of one batch."""

import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.core.models import ChangeSet
from smartplan.core.problems import ImportRefusedError
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.exchange.table_files import read_tables
from smartplan.exchange.workbook_reader import HEAD_ROWS
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.indicators.models import Measurement

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _measurements(plan):
    return sorted(
        Measurement.objects.filter(plan=plan).values_list(
            "sub_indicator__code", "date", "period_start", "value", "note", "status"
        )
    )


@pytest.fixture
def generated(db, tmp_path):
    """A generated plan with a few hundred measurements, and its exported workbook."""
    plan = synthetic_plans_generate(plans=1, scale=2, seed=13, measurements_per_sub=5)[0].plan
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=plan, target=path)
    return plan, path


def test_the_measurement_sheet_is_streamed_not_kept(generated):
    _plan, exported = generated
    """Only its first rows are kept (to find the header); all come from ``all_rows()``."""
    whole = read_tables(exported)[MEASUREMENTS.name]
    streamed = read_tables(exported, stream=frozenset({MEASUREMENTS.name}))[MEASUREMENTS.name]
    assert whole.stream is None
    assert streamed.stream is not None
    assert len(whole.rows) > 100
    assert len(streamed.rows) == HEAD_ROWS
    filled = [
        (number, tuple(v for v in values[: max(i + 1 for i, v in enumerate(values) if v)]))
        for number, values in whole.rows
        if any(v is not None for v in values)
    ]
    assert list(streamed.all_rows()) == filled


def test_a_sheet_with_a_formula_is_read_whole_even_when_streaming_is_asked(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = MEASUREMENTS.name
    ws.append(["Dílčí indikátor", "Datum", "Hodnota"])
    ws.append(["1.1.", "31. 12. 2021", "=1+1"])
    wb.save(tmp_path / "vzorec.xlsx")
    # Without a saved result (openpyxl keeps none), the full read names the formula's cell.
    with pytest.raises(ImportRefusedError) as refused:
        read_tables(tmp_path / "vzorec.xlsx", stream=frozenset({MEASUREMENTS.name}))
    assert "řádek 2, sloupec C: „=1+1“ vzorec bez uloženého výsledku" in str(refused.value)


def test_measurements_in_batches_round_trip_as_one_batch(generated, batches):
    """Deleted, then imported back 7 rows at a time: exactly what was exported, with history
    in one change set; imported again: nothing written, every row unchanged."""
    plan, exported = generated
    before = _measurements(plan)
    count = len(before)
    Measurement.objects.filter(plan=plan).delete()
    change_sets = ChangeSet.objects.count()
    report = workbook_import(path=exported, plan_slug=plan.slug, label="plan.xlsx")
    sheet = next(s for s in report.sheets if s.name == MEASUREMENTS.name)
    assert (sheet.created, sheet.updated, sheet.unchanged) == (count, 0, 0)
    assert _measurements(plan) == before
    assert len(batches) > count // 28  # batches of 7 (up to 28 when a sub-indicator runs on)
    assert max(batches) <= 28
    assert sum(batches) == count
    assert ChangeSet.objects.count() == change_sets + 1
    assert Measurement.history.filter(history_type="+").count() >= count
    batches.clear()
    with CaptureQueriesContext(connection) as captured:
        again = workbook_import(path=exported, plan_slug=plan.slug, label="plan.xlsx")
    sheet = next(s for s in again.sheets if s.name == MEASUREMENTS.name)
    assert (sheet.created, sheet.updated, sheet.unchanged) == (0, 0, count)
    assert [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])] == []
    assert len(batches) > 1


def _sheet_rows(path):
    wb = openpyxl.load_workbook(path)
    return wb, wb[MEASUREMENTS.name]


def test_a_date_given_again_in_a_later_batch_is_a_problem_naming_the_first_row(generated, batches):
    """A sheet not sorted by sub-indicator: its first row comes again at the end, after many
    batches; the import is refused, naming both rows, and nothing is written."""
    plan, exported = generated
    wb, ws = _sheet_rows(exported)
    header = [cell.value for cell in ws[1]]
    first = [cell.value for cell in ws[2]]
    ws.append(first)
    last = ws.max_row
    wb.save(exported)
    before = _measurements(plan)
    with pytest.raises(ImportRefusedError) as refused:
        workbook_import(path=exported, plan_slug=plan.slug)
    date_column = header.index("Datum")
    problems = [p for p in refused.value.problems if p.sheet == MEASUREMENTS.name]
    assert [(p.row, p.column) for p in problems] == [(last, "Datum")]
    assert str(problems[0]).endswith("stejný dílčí indikátor a datum jako řádek 2")
    assert first[date_column] is not None
    assert _measurements(plan) == before


def test_a_problem_in_a_late_batch_refuses_the_whole_file(generated, batches):
    """Earlier batches were written inside the import's transaction: all of it is undone."""
    plan, exported = generated
    wb, ws = _sheet_rows(exported)
    header = [cell.value for cell in ws[1]]
    ws.cell(row=ws.max_row, column=header.index("Hodnota") + 1, value="hodně")
    wb.save(exported)
    Measurement.objects.filter(plan=plan).delete()
    with pytest.raises(ImportRefusedError) as refused:
        workbook_import(path=exported, plan_slug=plan.slug)
    assert [p.row for p in refused.value.problems] == [ws.max_row]
    assert len(batches) > 3
    assert not Measurement.objects.filter(plan=plan).exists()
