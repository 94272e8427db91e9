"""plan_figures: every monitoring figure of a plan as of a date, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.selectors import plan_figures

pytestmark = pytest.mark.django_db


def test_plan_figures_queries_do_not_grow_with_the_plan():
    small = synthetic_plans_generate(plans=1, scale=1, seed=61, measurements_per_sub=2)[0].plan
    big = synthetic_plans_generate(plans=1, scale=4, seed=62, measurements_per_sub=4)[0].plan
    counts = []
    for plan in (small, big):
        with CaptureQueriesContext(connection) as queries:
            figures = plan_figures(plan=plan, as_of=dt.date(plan.period_from + 1, 12, 31))
            # Reading what the pages read touches no further rows.
            [(f.sub.indicator.project, f.sub.indicator.specific_goal) for f in figures.subs]
        # One query per way of combining entered values (last, sum, average) the plan uses,
        # and five more (settings, sub-indicators, observations, last dates, goals).
        rules_used = {
            f.sub.aggregation for f in figures.subs if f.sub.source == SubIndicator.Source.MEASURED
        }
        assert len(queries) == 5 + len(rules_used)
        counts.append(len(queries))
    assert counts[0] <= counts[1] <= 8


def test_values_after_the_date_do_not_count(make_sub):
    sub = make_sub("8.9")
    Indicator.objects.filter(pk=sub.indicator_id).update(frequency="yearly")
    plan = sub.plan
    Measurement.objects.create(plan=plan, sub_indicator=sub, date=dt.date(2020, 12, 31), value=5)
    Measurement.objects.create(plan=plan, sub_indicator=sub, date=dt.date(2021, 12, 31), value=10)

    def figure(as_of):
        return next(f for f in plan_figures(plan=plan, as_of=as_of).subs if f.sub == sub)

    end_2020, end_2021 = figure(dt.date(2020, 12, 31)), figure(dt.date(2021, 12, 31))
    assert end_2020.assessment.value == 5
    assert end_2021.assessment.value == 10
    assert end_2020.assessment.progress == Decimal("0.5")
    assert end_2021.assessment.status == rules.ACHIEVED
    # The next value is due one period after the last value known at the date.
    assert end_2020.next_due == dt.date(2021, 12, 31)
    assert end_2021.next_due == dt.date(2022, 12, 31)


def test_rollup_of_an_indicator_without_sub_indicators_is_no_data(demo_plan):
    figures = plan_figures(plan=demo_plan, as_of=dt.date(2020, 12, 31))
    assert figures.rollup("indicator", "999").status == rules.NO_DATA
    assert figures.rollup("plan", "plan") is next(
        r.summary for r in figures.rollups if r.level == "plan"
    )


def test_a_value_is_overdue_only_after_its_due_date():
    due = dt.date(2021, 1, 1)
    assert not rules.is_overdue(due, as_of=due)
    assert rules.is_overdue(due, as_of=due + dt.timedelta(days=1))
    assert not rules.is_overdue(None, as_of=due)
