"""Rules of indicators, sub-indicators and measured values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from smartplan.indicators.models import Indicator, Measurement, MeasurementRevision, SubIndicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_indicator(demo_plan):
    return Indicator.objects.get(plan=demo_plan, number=8)


def _sub(indicator, **fields):
    values = {"code": "8.9", "name": "Pokusný", "plan": indicator.plan, "indicator": indicator}
    values.update(fields)
    return SubIndicator(**values)


def _errors(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_czech_names(demo_plan, portal_indicator):
    name = "Počet otevřených datových sad na informačním a datovém portálu"
    assert str(portal_indicator) == f"8. {name}"
    sub = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    assert str(sub).startswith("8.1 ")
    measurement = Measurement(sub_indicator=sub, date=dt.date(2021, 3, 1), value=2)
    assert str(measurement) == "8.1 @ 2021-03-01"


def test_a_milestones_target_is_zero_or_one(portal_indicator):
    # A milestone's measured values follow the same rule in the measurement action
    # (monitoring/tests/test_actions_measurements.py), the one path that stores them.
    sub = _sub(portal_indicator, kind=SubIndicator.Kind.MILESTONE, target_value=Decimal(2))
    message = "Milník má hodnotu 0 (zatím nesplněno) nebo 1 (splněno)."
    assert _errors(sub) == {"target_value": [message]}
    sub.target_value = Decimal(1)
    sub.full_clean()


def test_percentages_lie_between_0_and_100_or_change_by_at_most_100(portal_indicator):
    sub = _sub(portal_indicator, kind=SubIndicator.Kind.PERCENT, target_value=Decimal(120))
    assert _errors(sub) == {"target_value": ["Procento musí být v rozmezí 0 až 100."]}
    sub.target_value = Decimal(-20)
    assert "target_value" in _errors(sub)
    sub.target_is_relative = True  # a decrease by 20 % against the baseline
    sub.full_clean()


def test_target_date_after_baseline_date(portal_indicator):
    sub = _sub(portal_indicator, baseline_date=dt.date(2022, 1, 1), target_date=dt.date(2021, 1, 1))
    assert _errors(sub) == {
        "target_date": ["Datum cílové hodnoty je dřívější než datum výchozí hodnoty."]
    }


def test_computed_sub_indicators_need_a_formula_that_parses(portal_indicator):
    sub = _sub(portal_indicator, source=SubIndicator.Source.FORMULA)
    assert _errors(sub) == {"formula": ["Vypočítávaný dílčí indikátor musí mít vzorec."]}
    sub.formula = 'value("8.1") *'
    assert list(_errors(sub)) == ["formula"]
    sub.formula = 'value("8.1") * 2'
    sub.full_clean()


def test_observation_sub_indicators_need_a_series_and_a_reduction_its_year(portal_indicator):
    sub = _sub(
        portal_indicator,
        source=SubIndicator.Source.OBSERVATIONS,
        observation_method=SubIndicator.ObservationMethod.REDUCTION,
    )
    assert _errors(sub) == {
        "observation_series": ["Vyberte časovou řadu pozorování."],
        "observation_baseline_year": ["Pro výpočet snížení zadejte výchozí rok."],
    }


def test_codes_are_unique_within_a_plan_and_rows_take_the_plan_of_their_parent(
    demo_plan, portal_indicator
):
    sub = SubIndicator.objects.create(indicator=portal_indicator, code="8.2", name="Stažení")
    assert sub.plan == demo_plan
    with pytest.raises(IntegrityError), transaction.atomic():
        SubIndicator.objects.create(indicator=portal_indicator, code="8.1", name="Dvojník")
    measurement = Measurement.objects.create(sub_indicator=sub, date=dt.date(2021, 1, 1), value=3)
    revision = MeasurementRevision.objects.create(
        measurement=measurement,
        old_date=measurement.date,
        old_value=Decimal(2),
        old_status="final",
        reason="Oprava",
    )
    assert (measurement.plan, revision.plan) == (demo_plan, demo_plan)


def test_a_period_cannot_end_before_it_starts(demo_plan):
    sub = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    measurement = Measurement(
        plan=demo_plan,
        sub_indicator=sub,
        period_start=dt.date(2021, 2, 1),
        date=dt.date(2021, 1, 1),
        value=1,
    )
    assert "Období nemůže skončit dřív, než začne." in _errors(measurement)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        measurement.save()


def test_future_indicator_list_skips_blank_lines(portal_indicator):
    portal_indicator.future_indicators = "  Počet stažení dat \n\n\nUživatelské přístupy\n"
    assert portal_indicator.future_indicator_list == ["Počet stažení dat", "Uživatelské přístupy"]
