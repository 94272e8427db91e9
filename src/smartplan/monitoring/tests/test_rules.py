"""The monitoring rules and their edge cases (pure functions, no database)."""

import datetime as dt
import decimal

import pytest

from smartplan.monitoring import rules
from smartplan.monitoring.rules import Target, Thresholds, assess, next_due, roll_up

D = decimal.Decimal

START, END = dt.date(2020, 1, 1), dt.date(2022, 12, 31)
HALF = dt.date(2021, 7, 2)  # half-way between START and END
COUNT = Target(
    kind="number", baseline_value=D(0), baseline_date=START, target_value=D(10), target_date=END
)


def test_no_value_is_no_data():
    result = assess(COUNT, value=None, value_date=None, as_of=HALF)
    assert result.status == rules.NO_DATA
    assert result.progress is None


def test_on_track_at_risk_and_off_track_against_the_straight_line():
    assert assess(COUNT, value=D(5), value_date=HALF, as_of=HALF).status == rules.ON_TRACK
    assert assess(COUNT, value=D(4), value_date=HALF, as_of=HALF).status == rules.AT_RISK
    off = assess(COUNT, value=D(2), value_date=HALF, as_of=HALF)
    assert off.status == rules.OFF_TRACK
    assert off.progress == D("0.2")
    assert off.expected == pytest.approx(D("0.5"), abs=D("0.001"))
    assert "(2 − 0) / (10 − 0) = 20\xa0%" in off.explanation


def test_thresholds_are_configurable():
    lenient = Thresholds(on_track=D("0.3"), at_risk=D("0.1"))
    assert (
        assess(COUNT, value=D(2), value_date=HALF, as_of=HALF, thresholds=lenient).status
        == rules.ON_TRACK
    )


def test_target_reached_early_is_achieved():
    result = assess(COUNT, value=D(12), value_date=dt.date(2020, 3, 1), as_of=dt.date(2020, 3, 1))
    assert result.status == rules.ACHIEVED
    assert result.progress == D("1.2")


def test_missing_the_target_date_is_off_track():
    result = assess(COUNT, value=D(9), value_date=dt.date(2022, 12, 1), as_of=dt.date(2023, 1, 15))
    assert result.status == rules.OFF_TRACK
    assert "31. 12. 2022" in result.explanation


def test_nothing_expected_at_the_baseline_date():
    assert assess(COUNT, value=D(0), value_date=START, as_of=START).status == rules.ON_TRACK


def test_decreasing_target():
    energy = Target(
        kind="number",
        direction="down",
        baseline_value=D(1000),
        baseline_date=START,
        target_value=D(800),
        target_date=END,
    )
    good = assess(energy, value=D(900), value_date=HALF, as_of=HALF)
    assert good.progress == D("0.5")
    assert good.status == rules.ON_TRACK
    worse = assess(energy, value=D(1100), value_date=HALF, as_of=HALF)
    assert worse.progress == D("-0.5")
    assert worse.status == rules.OFF_TRACK
    assert assess(energy, value=D(790), value_date=HALF, as_of=HALF).status == rules.ACHIEVED


def test_relative_target_needs_a_baseline():
    relative = Target(
        kind="percent",
        target_value=D(1),
        target_is_relative=True,
        baseline_date=START,
        target_date=END,
    )
    result = assess(relative, value=D(30), value_date=HALF, as_of=HALF)
    assert result.status == rules.NO_DATA
    assert "baseline" in result.explanation or "výchozí" in result.explanation
    known = Target(
        kind="percent",
        baseline_value=D(40),
        target_value=D(1),
        target_is_relative=True,
        baseline_date=START,
        target_date=END,
    )
    assert assess(known, value=D(41), value_date=HALF, as_of=HALF).status == rules.ACHIEVED


def test_missing_baseline_counts_from_zero_and_says_so():
    no_baseline = Target(kind="number", target_value=D(5), baseline_date=START, target_date=END)
    result = assess(no_baseline, value=D(5), value_date=HALF, as_of=HALF)
    assert result.status == rules.ACHIEVED
    assert "0" in result.explanation


def test_no_target_cannot_be_evaluated():
    result = assess(Target(kind="percent"), value=D(3), value_date=HALF, as_of=HALF)
    assert result.status == rules.NO_DATA
    assert result.value == D(3)


def test_baseline_equal_to_target():
    flat = Target(
        kind="number", baseline_value=D(5), baseline_date=START, target_value=D(5), target_date=END
    )
    assert assess(flat, value=D(5), value_date=HALF, as_of=HALF).status == rules.ACHIEVED
    missed = assess(flat, value=D(4), value_date=HALF, as_of=HALF)
    assert missed.status == rules.OFF_TRACK
    assert missed.progress == 0
    falling = Target(
        kind="number",
        direction="down",
        baseline_value=D(5),
        target_value=D(5),
        baseline_date=START,
        target_date=END,
    )
    assert assess(falling, value=D(4), value_date=HALF, as_of=HALF).status == rules.ACHIEVED


@pytest.mark.parametrize(
    ("value", "as_of", "status"),
    [
        (D(1), HALF, rules.ACHIEVED),
        (D(0), HALF, rules.ON_TRACK),
        (D(0), dt.date(2022, 11, 1), rules.AT_RISK),
        (D(0), dt.date(2023, 2, 1), rules.OFF_TRACK),
    ],
)
def test_milestones(value, as_of, status):
    centre = Target(
        kind="milestone",
        baseline_value=D(0),
        baseline_date=START,
        target_value=D(1),
        target_date=END,
    )
    assert assess(centre, value=value, value_date=as_of, as_of=as_of).status == status


def test_roll_up_weights_and_no_data():
    half = assess(COUNT, value=D(5), value_date=HALF, as_of=HALF)
    done = assess(
        COUNT, value=D(15), value_date=HALF, as_of=HALF
    )  # progress 150 %, capped at 100 %
    empty = assess(COUNT, value=None, value_date=None, as_of=HALF)
    equal = roll_up([(half, D(1)), (done, D(1)), (empty, D(1))])
    assert equal.progress == D("0.75")
    assert equal.counts[rules.NO_DATA] == 1
    weighted = roll_up([(half, D(3)), (done, D(1))])
    assert weighted.progress == D("0.625")
    assert roll_up([(empty, D(1))]).status == rules.NO_DATA
    assert roll_up([(done, D(1))]).status == rules.ACHIEVED


def test_roll_up_status_compares_mean_progress_with_mean_expected():
    behind = assess(COUNT, value=D(2), value_date=HALF, as_of=HALF)
    on_time = assess(COUNT, value=D(5), value_date=HALF, as_of=HALF)
    assert roll_up([(behind, D(1)), (on_time, D(1))]).status == rules.AT_RISK  # 35 % vs 50 %


@pytest.mark.parametrize(
    ("frequency", "last", "expected"),
    [
        ("every_3_years", None, dt.date(2023, 1, 1)),
        ("yearly", dt.date(2021, 3, 31), dt.date(2022, 3, 31)),
        ("quarterly", dt.date(2021, 11, 30), dt.date(2022, 2, 28)),
        ("monthly", dt.date(2021, 1, 31), dt.date(2021, 2, 28)),
        ("unspecified", dt.date(2021, 1, 31), None),
    ],
)
def test_next_due(frequency, last, expected):
    assert next_due(frequency, last_value_date=last, start=START) == expected
