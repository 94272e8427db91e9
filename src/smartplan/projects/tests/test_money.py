"""The planned-money rule: a lone estimate counts, a range stays a range."""

from decimal import Decimal

import pytest

from smartplan.projects.money import MoneyRange, estimate_range, range_sum

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
