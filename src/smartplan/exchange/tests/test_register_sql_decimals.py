"""SQLite writes a decimal itself only when its text is the one Python writes (see
register_sql_csv): any number stored in the column, also one no form of smartplan would
accept (more places, 16 digits, a float's binary rest), is written as the Python converters
write it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smartplan.exchange import register_stream
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.exchange.workbook_writer import register_rows
from smartplan.indicators.models import Measurement, SubIndicator

pytestmark = pytest.mark.django_db

# Numbers as the column may hold them: 4-place decimals (the forms' values), floats of any
# precision (a bulk write, another program), integers; all within the field's 20 digits, as
# Django itself cannot read more.
NUMBERS = st.one_of(
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False).map(float),
    st.floats(min_value=-9e14, max_value=9e14, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
)


@pytest.fixture
def sub_indicator(demo_plan):
    return SubIndicator.objects.filter(plan=demo_plan).order_by("pk").first()


def _python_only(rows):
    original = register_stream.sql_lines
    register_stream.sql_lines = lambda *args: None
    try:
        return register_stream.register_csv_bytes(MEASUREMENTS, rows)
    finally:
        register_stream.sql_lines = original


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(numbers=st.lists(NUMBERS, min_size=1, max_size=12))
@example(numbers=[0.0003, 0.1 + 0.2, 1e-05, 2.5e-07, 99999999999.9999, 123456789012.3456])
@example(numbers=[-0.0001, 5e14, 1e11, -1e11 + 0.5, 0.30000000000000004, 7.000000000000001])
def test_any_number_in_the_column_is_written_as_python_writes_it(sub_indicator, numbers):
    Measurement.objects.filter(sub_indicator=sub_indicator).delete()
    made = Measurement.objects.bulk_create(
        Measurement(
            plan_id=sub_indicator.plan_id,
            sub_indicator=sub_indicator,
            date=dt.date(2020, 1, 1) + dt.timedelta(days=day),
            value=Decimal(0),
        )
        for day in range(len(numbers))
    )
    with connection.cursor() as cursor:  # the number itself, as another writer stores it
        for measurement, number in zip(made, numbers, strict=True):
            cursor.execute(
                "UPDATE indicators_measurement SET value = %s WHERE id = %s",
                [number, measurement.pk],
            )
    rows = register_rows(MEASUREMENTS, None).filter(sub_indicator=sub_indicator)
    written = register_stream.register_csv_bytes(MEASUREMENTS, rows)
    assert written == _python_only(rows)
    assert written.count(b"\r\n") == len(numbers) + 1
