import datetime as dt
from decimal import Decimal

import pytest

from smartplan.indicators.formula import FormulaError, parse, referenced_codes
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.values import current_values
from smartplan.projects.models import ActivityFulfilment

AS_OF = dt.date(2021, 12, 31)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("value(", "není platný"),
        ("__import__('os')", "Neznámá funkce"),
        ("value('1.1').real", "nesmí obsahovat"),
        ("open('x')", "Neznámá funkce"),
        ("stack_count(colour=1)", "Chybné argumenty"),
        ("[1, 2]", "nesmí obsahovat"),
        ("2 // 3", "nepovolenou operaci"),
    ],
)
def test_unsafe_or_broken_formulas_are_refused(formula, message):
    with pytest.raises(FormulaError, match=message):
        parse(formula)


def test_referenced_codes():
    assert referenced_codes('value("1.1") + value("1.2") * 2') == {"1.1", "1.2"}


def _values(plan, *subs):
    pool = list(SubIndicator.objects.filter(plan=plan))
    result = current_values(plan=plan, subs=pool, as_of=AS_OF)
    return [result[s.pk] for s in subs]


@pytest.mark.django_db
def test_formula_follows_its_inputs(demo_plan, make_sub):
    source = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    doubled = make_sub("8.9", source=SubIndicator.Source.FORMULA, formula='value("8.1") * 2')
    Measurement.objects.create(
        plan=demo_plan, sub_indicator=source, date=dt.date(2021, 3, 1), value=2
    )
    (current,) = _values(demo_plan, doubled)
    assert current.value == Decimal(4)
    assert current.date == dt.date(2021, 3, 1)
    Measurement.objects.create(
        plan=demo_plan, sub_indicator=source, date=dt.date(2021, 9, 1), value=3
    )
    (current,) = _values(demo_plan, doubled)
    assert current.value == Decimal(6)


@pytest.mark.django_db
def test_formulas_over_system_data(demo_plan, make_sub):
    running = make_sub("8.7", source=SubIndicator.Source.FORMULA, formula="stack_count(status=1)")
    money = make_sub("8.8", source=SubIndicator.Source.FORMULA, formula="stack_finance() ")
    spent = make_sub(
        "8.9", source=SubIndicator.Source.FORMULA, formula="spent(year=2021, project=4)"
    )
    fulfilment = ActivityFulfilment.objects.filter(
        plan=demo_plan, activity__project__number=4
    ).first()
    ActivityFulfilment.objects.create(
        plan=demo_plan, activity=fulfilment.activity, year=2021, spent=Decimal("260000")
    )
    values = _values(demo_plan, running, money, spent)
    assert [v.value for v in values] == [Decimal(15), Decimal("928.6"), Decimal("260000")]


@pytest.mark.django_db
def test_circular_definition_is_reported(demo_plan, make_sub):
    a = make_sub("8.7", source=SubIndicator.Source.FORMULA, formula='value("8.8") + 1')
    b = make_sub("8.8", source=SubIndicator.Source.FORMULA, formula='value("8.7") + 1')
    first, second = _values(demo_plan, a, b)
    assert first.value is None
    assert "Kruhová definice: 8.7 → 8.8 → 8.7" in first.error
    assert "8.8" in second.error


@pytest.mark.django_db
def test_division_by_zero_and_missing_input(demo_plan, make_sub):
    zero = make_sub(
        "8.7",
        source=SubIndicator.Source.FORMULA,
        formula="stack_count(status=9) / stack_count(status=9)",
    )
    missing = make_sub("8.8", source=SubIndicator.Source.FORMULA, formula='value("1.1") + 1')
    unknown = make_sub("8.9", source=SubIndicator.Source.FORMULA, formula='value("99.9")')
    zero_value, missing_value, unknown_value = _values(demo_plan, zero, missing, unknown)
    assert "Dělení nulou" in zero_value.error
    assert "1.1 zatím nemá hodnotu" in missing_value.error
    assert "99.9" in unknown_value.error
