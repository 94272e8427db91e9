"""Entering values moves progress and status up the roll-up; final values keep history."""

import datetime as dt
from decimal import Decimal

import pytest

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.indicators.models import SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.services import plan_states_recompute

pytestmark = pytest.mark.django_db
MID_2021 = dt.date(2021, 6, 30)


def _record(*, sub_indicator, date, value, user, note=""):
    entry = MeasurementEntry(sub_indicator=sub_indicator, date=date, value=value, note=note)
    return measurement_save(entry=entry, user=user)


def _rollup(plan, level, key=None, label=None):
    rows = RollUpState.objects.filter(plan=plan, level=level)
    return rows.get(key=key) if key else rows.get(label=label)


def test_a_measurement_moves_progress_up_the_roll_up(demo_plan):
    plan_states_recompute(plan=demo_plan, as_of=MID_2021)
    assert _rollup(demo_plan, "plan", "plan").status == rules.NO_DATA

    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    _record(sub_indicator=datasets, date=MID_2021, value=Decimal(3), user=None)
    plan_states_recompute(plan=demo_plan, as_of=MID_2021)

    state = SubIndicatorState.objects.get(sub_indicator=datasets)
    assert state.progress == Decimal("0.6")  # 3 of 5 datasets
    assert state.status == rules.ON_TRACK  # about 50 % of the time has passed
    assert "Pokrok" in state.explanation
    levels = [
        _rollup(demo_plan, "indicator", "8"),
        _rollup(demo_plan, "project", "8"),
        _rollup(demo_plan, "specific_goal", "1.5"),
        _rollup(demo_plan, "strategic_goal", "1"),
        _rollup(demo_plan, "area", label="Veřejná správa"),
        _rollup(demo_plan, "plan", "plan"),
    ]
    for row in levels:
        assert row.progress == Decimal("0.6"), row.label
        assert row.status == rules.ON_TRACK, row.label
        assert row.counts[rules.ON_TRACK] == 1
    assert _rollup(demo_plan, "strategic_goal", "2").status == rules.NO_DATA


def test_roll_up_averages_sub_indicators_of_one_indicator(demo_plan):
    for code, value in (("1.1", 5000), ("1.2", 0), ("1.3", 3)):
        sub = SubIndicator.objects.get(plan=demo_plan, code=code)
        _record(sub_indicator=sub, date=MID_2021, value=Decimal(value), user=None, note="x")
    plan_states_recompute(plan=demo_plan, as_of=MID_2021)
    transport = _rollup(demo_plan, "indicator", "1")
    # (0.5 + 0 + 0.5) / 3
    assert transport.progress == Decimal("0.3333")
    assert transport.counts[rules.ON_TRACK] == 2
    assert transport.counts[rules.OFF_TRACK] == 1


def test_states_follow_changes_after_commit(db, django_capture_on_commit_callbacks):
    # A synthetic plan is written in bulk, so no recompute is pending for it yet.
    plan = synthetic_plans_generate(plans=1, scale=1, seed=8, measurements_per_sub=0)[0].plan
    sub = SubIndicator.objects.filter(plan=plan, kind=SubIndicator.Kind.NUMBER).first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):  # three writes, one recompute
            _record(sub_indicator=sub, date=sub.target_date, value=sub.target_value, user=None)
    assert len(callbacks) == 1
    assert SubIndicatorState.objects.get(sub_indicator=sub).status == rules.ACHIEVED
    assert (
        SubIndicatorState.objects.filter(plan=plan).count()
        == SubIndicator.objects.filter(plan=plan).count()
    )


def test_next_due_follows_frequency_and_last_value(demo_plan):
    plan_states_recompute(plan=demo_plan, as_of=MID_2021)
    downloads = SubIndicator.objects.get(plan=demo_plan, code="1.1")  # every 3 years
    assert SubIndicatorState.objects.get(sub_indicator=downloads).next_due == dt.date(2023, 1, 1)
    _record(sub_indicator=downloads, date=MID_2021, value=Decimal(6000), user=None)
    plan_states_recompute(plan=demo_plan, as_of=MID_2021)
    assert SubIndicatorState.objects.get(sub_indicator=downloads).next_due == dt.date(2024, 6, 30)
    portal = SubIndicator.objects.get(plan=demo_plan, code="8.1")  # no frequency in the seed
    assert SubIndicatorState.objects.get(sub_indicator=portal).next_due is None
