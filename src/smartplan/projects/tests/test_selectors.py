"""Money planned and spent per project and for the plan."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.projects.models import Activity, ActivityFulfilment, FlagshipProject
from smartplan.projects.money import MoneyRange
from smartplan.projects.selectors import plan_money

pytestmark = pytest.mark.django_db
D = Decimal


def test_money_of_a_project_and_of_the_plan(demo_plan):
    project = FlagshipProject.objects.filter(plan=demo_plan).order_by("number").first()
    Activity.objects.filter(project=project).delete()
    lower = Activity.objects.create(
        plan=demo_plan, project=project, number=1, description="A", cost_min=D(500000)
    )
    ranged = Activity.objects.create(
        plan=demo_plan,
        project=project,
        number=2,
        description="B",
        cost_min=D(100000),
        cost_max=D(200000),
    )
    ActivityFulfilment.objects.create(plan=demo_plan, activity=lower, year=2020, spent=D(1000))
    ActivityFulfilment.objects.create(plan=demo_plan, activity=ranged, year=2021, spent=D(250))
    before = plan_money(plan=demo_plan, year=2020)
    row = before.of(project.pk)
    assert row.planned == MoneyRange(D(600000), D(700000))
    assert (row.spent_in_year, row.spent_total) == (D(1000), D(1250))
    assert before.planned == sum((r.planned for r in before.projects), MoneyRange())
    assert before.spent_total == sum(r.spent_total for r in before.projects)
    assert [r.number for r in before.projects] == sorted(
        FlagshipProject.objects.filter(plan=demo_plan).values_list("number", flat=True)
    )


def test_plan_money_queries_do_not_grow_with_the_plan():
    small = synthetic_plans_generate(plans=1, scale=1, seed=41, measurements_per_sub=0)[0].plan
    big = synthetic_plans_generate(plans=1, scale=4, seed=42, measurements_per_sub=0)[0].plan
    counts = []
    for plan in (small, big):
        with CaptureQueriesContext(connection) as queries:
            money = plan_money(plan=plan, year=plan.period_from)
        counts.append(len(queries))
        assert money.planned.high > 0
    assert counts == [3, 3]
