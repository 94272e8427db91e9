import datetime as dt
from decimal import Decimal

import pytest

from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.values import current_values
from smartplan.observations.models import Observation, ObservationSeries

pytestmark = pytest.mark.django_db


def _value(plan, sub, as_of):
    return current_values(plan=plan, subs=[sub], as_of=as_of)[sub.pk]


def test_last_value_up_to_the_date(demo_plan):
    sub = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    for date, value in ((dt.date(2021, 1, 31), 100), (dt.date(2021, 6, 30), 900)):
        Measurement.objects.create(plan=demo_plan, sub_indicator=sub, date=date, value=value)
    assert _value(demo_plan, sub, dt.date(2021, 3, 1)).value == 100
    assert _value(demo_plan, sub, dt.date(2021, 12, 31)).value == 900
    assert _value(demo_plan, sub, dt.date(2020, 12, 31)).value is None


def test_sum_of_periods_straddling_years(demo_plan, make_sub):
    downloads = make_sub("8.7", aggregation=SubIndicator.Aggregation.SUM)
    periods = [
        (dt.date(2020, 12, 1), dt.date(2021, 1, 31), 50),  # straddles the new year
        (dt.date(2021, 2, 1), dt.date(2021, 2, 28), 30),
    ]
    for start, end, value in periods:
        Measurement.objects.create(
            plan=demo_plan, sub_indicator=downloads, period_start=start, date=end, value=value
        )
    at_end_of_january = _value(demo_plan, downloads, dt.date(2021, 1, 31))
    assert (at_end_of_january.value, at_end_of_january.date) == (Decimal(50), dt.date(2021, 1, 31))
    assert _value(demo_plan, downloads, dt.date(2021, 12, 31)).value == Decimal(80)


def test_average(demo_plan, make_sub):
    sub = make_sub("8.7", aggregation=SubIndicator.Aggregation.AVERAGE)
    for month, value in ((1, 10), (2, 20), (3, 60)):
        Measurement.objects.create(
            plan=demo_plan, sub_indicator=sub, date=dt.date(2021, month, 28), value=value
        )
    assert _value(demo_plan, sub, dt.date(2021, 12, 31)).value == Decimal(30)


def test_reduction_of_energy_use_against_a_baseline_year(demo_plan, make_sub):
    series = ObservationSeries.objects.create(
        plan=demo_plan,
        code="energie-gymnazium",
        name="Spotřeba elektřiny",
        unit="kWh",
        subject="Gymnázium Žitavská, Česká Lípa",
    )
    for year, monthly in ((2019, 1000), (2021, 900)):
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
                days=1
            )
            Observation.objects.create(
                plan=demo_plan, series=series, period_start=start, period_end=end, value=monthly
            )
    reduction = make_sub(
        "8.7",
        kind=SubIndicator.Kind.PERCENT,
        unit="%",
        source=SubIndicator.Source.OBSERVATIONS,
        observation_series=series,
        observation_method=SubIndicator.ObservationMethod.REDUCTION,
        observation_baseline_year=2019,
        target_value=15,
    )
    current = _value(demo_plan, reduction, dt.date(2022, 1, 31))
    assert current.value == Decimal(10)
    assert current.date == dt.date(2021, 12, 31)
    assert "2019" in current.note
    total = make_sub("8.8", source=SubIndicator.Source.OBSERVATIONS, observation_series=series)
    assert _value(demo_plan, total, dt.date(2022, 1, 31)).value == Decimal(10800)
    missing_base = make_sub(
        "8.9",
        source=SubIndicator.Source.OBSERVATIONS,
        observation_series=series,
        observation_method=SubIndicator.ObservationMethod.REDUCTION,
        observation_baseline_year=2018,
    )
    assert "2018" in _value(demo_plan, missing_base, dt.date(2022, 1, 31)).error
