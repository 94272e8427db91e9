"""The planned-money rule: a lone estimate counts, a range stays a range."""

from decimal import Decimal

import pytest

from smartplan.projects.models import Activity, FlagshipProject
from smartplan.projects.money import (
    MoneyRange,
    estimate_range,
    planned_high_sql,
    planned_low_sql,
    range_sum,
)

D = Decimal


@pytest.mark.parametrize(
    ("cost_min", "cost_max", "expected"),
    [
        (D(100), D(200), MoneyRange(D(100), D(200))),
        (D(500000), None, MoneyRange(D(500000), D(500000))),  # only "from": not 0
        (None, D(300000), MoneyRange(D(300000), D(300000))),  # only "to"
        (None, None, MoneyRange(D(0), D(0))),
        (D(260000), D(260000), MoneyRange(D(260000), D(260000))),
    ],
)
def test_an_activitys_estimate(cost_min, cost_max, expected):
    assert estimate_range(cost_min, cost_max) == expected


def test_ranges_add_end_by_end_and_equal_ends_are_exact():
    total = range_sum(
        [estimate_range(D(500000), None), estimate_range(None, D(300000)), MoneyRange(D(1), D(2))]
    )
    assert total == MoneyRange(D(800001), D(800002))
    assert not total.exact
    assert MoneyRange(D(5), D(5)).exact
    assert range_sum([]) == MoneyRange()


@pytest.mark.django_db
def test_the_rule_in_sql_agrees_with_the_rule_in_python(demo_plan):
    project = FlagshipProject.objects.filter(plan=demo_plan).order_by("number").first()
    for number, (low, high) in enumerate(
        [(D(500000), None), (None, D(300000)), (None, None), (D(1), D(2)), (D(7), D(7))], start=90
    ):
        Activity.objects.create(
            plan=demo_plan,
            project=project,
            number=number,
            description="x",
            cost_min=low,
            cost_max=high,
        )
    rows = Activity.objects.filter(plan=demo_plan).annotate(
        low=planned_low_sql(), high=planned_high_sql()
    )
    assert rows.count() > 5
    for row in rows:
        expected = estimate_range(row.cost_min, row.cost_max)
        assert MoneyRange(row.low or D(0), row.high or D(0)) == expected, row
