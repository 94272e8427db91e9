"""The one writer of a whole plan: rows checked together, written at once, states current."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from smartplan.core.problems import ImportRefusedError
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.plan_rows import PlanRows, plan_rows_write
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.plans.models import Plan
from smartplan.projects.models import ActivityFulfilment

pytestmark = pytest.mark.django_db


def _rows(**sheets):
    return PlanRows(
        source="rows",
        plan_values={
            "slug": "radky",
            "name": "Plán z řádků",
            "territory_kind": Plan.TerritoryKind.MUNICIPALITY,
            "territory_name": "Turnov",
            "ruian_code": "577626",
            "period_from": 2021,
            "period_to": 2023,
        },
        sheets={name: list(enumerate(rows, 1)) for name, rows in sheets.items()},
    )


def _plan_rows(measurements=()):
    return _rows(
        **{
            "Strategické cíle": [{"code": 1, "name": "Zrychlit"}],
            "Indikátory": [{"number": 1, "name": "Počet aplikací", "strategic_goals": [1]}],
            "Dílčí indikátory": [
                {
                    "code": "1.1",
                    "indicator": 1,
                    "name": "Aplikace",
                    "baseline_value": Decimal(0),
                    "baseline_date": dt.date(2021, 1, 1),
                    "target_value": Decimal(10),
                    "target_date": dt.date(2023, 12, 31),
                },
                {"code": "1.2", "indicator": 1, "name": "Partneři", "target_value": Decimal(5)},
            ],
            "Měření": list(measurements),
        }
    )


def _assert_states_current(plan):
    subs = set(SubIndicator.objects.filter(plan=plan).values_list("pk", flat=True))
    assert subs
    states = SubIndicatorState.objects.filter(plan=plan)
    assert set(states.values_list("sub_indicator", flat=True)) == subs
    assert RollUpState.objects.filter(plan=plan, level="plan").exists()


def test_written_rows_leave_the_states_current():
    measured = [{"sub_indicator": "1.1", "date": dt.date(2022, 6, 30), "value": Decimal(6)}]
    report = plan_rows_write(rows=_plan_rows(measured))
    plan = Plan.objects.get(slug="radky")
    assert report.plan_created
    _assert_states_current(plan)
    state = SubIndicatorState.objects.get(plan=plan, sub_indicator__code="1.1")
    assert state.value == Decimal(6)


def test_every_problem_of_every_register_is_reported_with_its_place():
    rows = _plan_rows()
    rows.sheets["Dílčí indikátory"].append((3, {"code": "1.3", "indicator": 7, "name": "X"}))
    rows.sheets["Strategické cíle"].append((2, {"code": "dva", "name": "Ušetřit"}))
    rows.sheets["Měření"] = [
        (5, {"sub_indicator": "1.9", "date": dt.date(2022, 1, 1), "value": Decimal(1)})
    ]
    with pytest.raises(ImportRefusedError) as caught:
        plan_rows_write(rows=rows)
    places = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert ("Strategické cíle", 2, "Číslo") in places
    assert ("Dílčí indikátory", 3, "Indikátor") in places
    assert ("Měření", 5, "Dílčí indikátor") in places
    assert not Plan.objects.filter(slug="radky").exists()


def test_measurement_rows_follow_the_measurement_rules():
    milestone = [{"sub_indicator": "1.1", "date": dt.date(2022, 1, 1), "value": Decimal(3)}]
    rows = _plan_rows(milestone)
    rows.sheets["Dílčí indikátory"][0][1].update(kind="milestone", target_value=Decimal(1))
    with pytest.raises(ImportRefusedError) as caught:
        plan_rows_write(rows=rows)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Měření", 1, "Hodnota")
    assert not Plan.objects.filter(slug="radky").exists()
    assert not Measurement.objects.filter(sub_indicator__plan__slug="radky").exists()


# -- the workbook import: a final value changes only with a reason ---------------------------


def _set_measurement(path, *, value, reason=None):
    workbook = openpyxl.load_workbook(path)
    ws = workbook["Měření"]
    headers = [c.value for c in ws[1]]
    ws.cell(2, headers.index("Hodnota") + 1, value)
    ws.cell(2, headers.index("Poznámka") + 1, "Aplikace zatím nebyla spuštěna.")
    if reason is not None:
        ws.cell(2, headers.index("Důvod změny") + 1, reason)
    workbook.save(path)


def test_workbook_cannot_change_a_final_value_without_a_reason(demo_plan, tmp_path):
    sub = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    measurement = Measurement.objects.create(
        plan=demo_plan, sub_indicator=sub, date=dt.date(2021, 12, 31), value=10000, status="final"
    )
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    _set_measurement(path, value=0)

    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path)
    problem = next(p for p in caught.value.problems if p.field == "reason")
    assert (problem.sheet, problem.row, problem.column) == ("Měření", 2, "Důvod změny")
    assert "konečná" in str(caught.value) or "final" in str(caught.value)
    measurement.refresh_from_db()
    assert measurement.value == 10000
    assert not MeasurementRevision.objects.filter(measurement=measurement).exists()

    _set_measurement(path, value=0, reason="Opravený odečet.")
    report = workbook_import(path=path)
    measurement.refresh_from_db()
    assert measurement.value == 0
    assert measurement.status == "final"
    revision = MeasurementRevision.objects.get(measurement=measurement)
    assert (revision.old_value, revision.reason) == (10000, "Opravený odečet.")
    sheet = next(s for s in report.sheets if s.name == "Měření")
    assert sheet.updated == 1


def test_workbook_import_leaves_the_states_current(demo_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    slug = demo_plan.slug
    demo_plan.delete()
    workbook_import(path=path)
    _assert_states_current(Plan.objects.get(slug=slug))


def test_demo_and_generated_plans_have_current_states(demo_plan):
    _assert_states_current(demo_plan)
    generated = synthetic_plans_generate(plans=1, scale=1, seed=31, measurements_per_sub=3)[0]
    _assert_states_current(generated.plan)
    with_values = SubIndicatorState.objects.filter(plan=generated.plan, value__isnull=False)
    assert with_values.count() == generated.counts["sub_indicators"]


def test_replace_removes_measurements_the_rows_no_longer_have():
    first = {"sub_indicator": "1.1", "date": dt.date(2022, 6, 30), "value": Decimal(6)}
    second = {"sub_indicator": "1.1", "date": dt.date(2022, 9, 30), "value": Decimal(7)}
    plan_rows_write(rows=_plan_rows([first, second]))
    report = plan_rows_write(rows=_plan_rows([second]), replace=True)
    sheet = next(s for s in report.sheets if s.name == "Měření")
    assert (sheet.unchanged, sheet.removed) == (1, 1)
    plan = report.plan
    kept = Measurement.objects.filter(plan=plan).values_list("date", flat=True)
    assert list(kept) == [dt.date(2022, 9, 30)]
    state = SubIndicatorState.objects.get(plan=plan, sub_indicator__code="1.1")
    assert state.value == Decimal(7)


def test_workbook_fulfilment_follows_the_fulfilment_action(demo_plan, tmp_path):
    # The action plan runs 2020–2022: a year outside it is refused by the fulfilment action's
    # rule, in the workbook as in the editing interface, with its sheet, row and column.
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    workbook = openpyxl.load_workbook(path)
    ws = workbook["Finanční plnění"]
    headers = [c.value for c in ws[1]]
    ws.cell(2, headers.index("Rok") + 1, 2031)
    workbook.save(path)
    before = ActivityFulfilment.objects.filter(plan=demo_plan).count()

    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path)
    problem = next(p for p in caught.value.problems if p.sheet == "Finanční plnění")
    assert (problem.row, problem.column, problem.value) == (2, "Rok", 2031)
    assert problem.message == "Rok leží mimo období plánu 2020–2022."
    assert ActivityFulfilment.objects.filter(plan=demo_plan).count() == before
    assert not ActivityFulfilment.objects.filter(plan=demo_plan, year=2031).exists()
