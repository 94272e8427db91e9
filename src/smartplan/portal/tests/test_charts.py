import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.plans.models import Plan
from smartplan.portal.charts import ChartPoint, history_chart, sub_indicator_chart


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def _chart(values: list[ChartPoint]) -> str:
    chart = history_chart(
        chart_id="graf-1",
        title="Podíl elektromobilů",
        unit="%",
        values=values,
        baseline=ChartPoint(dt.date(2019, 12, 31), Decimal("1.5")),
        target=ChartPoint(dt.date(2023, 12, 31), Decimal("12.25")),
    )
    return render_to_string("portal/_chart.html", {"chart": chart})


def test_chart_is_an_svg_with_a_text_alternative_and_its_table() -> None:
    html = _chart(
        [
            ChartPoint(dt.date(2021, 6, 30), Decimal("4.5"), "final"),
            ChartPoint(dt.date(2020, 12, 31), Decimal("1234.5")),
        ]
    )
    assert 'role="img"' in html
    assert 'aria-labelledby="graf-1-title graf-1-desc"' in html
    assert '<title id="graf-1-title">Podíl elektromobilů</title>' in html
    assert "<polyline" in html
    # Czech numbers and dates, in the description and the table, sorted by date
    assert "2 measured values from 31. 12. 2020 (1\xa0234,5\xa0%) to 30. 6. 2021 (4,5\xa0%)" in html
    assert html.index("31. 12. 2020") < html.index("30. 6. 2021")
    assert "<caption>" in html
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert "12,25\xa0%" in html
    assert "2020</text>" in html  # a year on the axis, not "2 020"
    # the Content Security Policy forbids inline styles
    assert "style=" not in html
    assert "<script" not in html


def test_a_chart_without_values_says_so_and_still_lists_the_target() -> None:
    html = _chart([])
    assert "<svg" not in html
    assert "No data yet" in html
    assert "No measured values yet." not in html or "<desc" not in html
    assert "12,25\xa0%" in html
    assert "1,5\xa0%" in html


def test_a_single_value_is_drawn_without_dividing_by_zero() -> None:
    chart = history_chart(
        chart_id="g", title="t", values=[ChartPoint(dt.date(2021, 1, 1), Decimal(0))]
    )
    assert chart.has_data
    assert "<circle" in chart.svg
    assert "nan" not in chart.svg.lower()


def test_text_is_escaped() -> None:
    chart = history_chart(
        chart_id="g",
        title="<b>x</b>",
        values=[ChartPoint(dt.date(2021, 1, 1), Decimal(1))],
    )
    assert "<b>" not in chart.svg
    assert "&lt;b&gt;" in chart.svg


@pytest.mark.django_db
def test_sub_indicator_chart_draws_its_values_and_a_relative_target(demo_plan: Plan) -> None:
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    assert sub is not None
    sub.baseline_value, sub.baseline_date = Decimal(10), dt.date(2020, 1, 1)
    sub.target_value, sub.target_date = Decimal(5), dt.date(2023, 12, 31)
    sub.target_is_relative, sub.direction = True, SubIndicator.Direction.DOWN
    values = [
        Measurement(sub_indicator=sub, date=dt.date(2021, 12, 31), value=Decimal(8), status="final")
    ]
    chart = sub_indicator_chart(sub, values)
    assert chart.chart_id == f"graf-{sub.pk}"
    target_row = chart.rows[-1]
    assert target_row[0] == "31. 12. 2023"
    assert target_row[1].startswith("5")
    assert chart.rows[1][2] == "final"
