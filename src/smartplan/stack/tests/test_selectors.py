from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.stack.models import StackItem
from smartplan.stack.selectors import (
    stack_by_area,
    stack_by_status,
    stack_plan_total,
    stack_totals,
)

pytestmark = pytest.mark.django_db


def test_totals_of_the_original_stack_match_the_report(demo_plan, django_assert_num_queries):
    original = StackItem.objects.filter(plan=demo_plan, year_added__isnull=True)
    with django_assert_num_queries(1):
        totals = stack_totals(queryset=original)
    assert totals.items == 44
    assert totals.finance_mil == Decimal("916.8")


def test_totals_of_nothing(demo_plan):
    totals = stack_totals(queryset=StackItem.objects.none())
    assert (totals.items, totals.finance_mil) == (0, Decimal(0))


def test_stack_by_status_by_area_and_in_total(demo_plan, django_assert_num_queries):
    with django_assert_num_queries(3):
        by_status = stack_by_status(plan=demo_plan)
        by_area = stack_by_area(plan=demo_plan)
        total = stack_plan_total(plan=demo_plan)
    assert [group.key for group in by_status] == [1, 2, 3, 4]
    assert (by_status[0].items, by_status[0].finance_mil) == (15, Decimal(772))
    assert (total.items, total.finance_mil) == (53, Decimal("928.6"))
    for groups in (by_status, by_area):
        assert sum(g.items for g in groups) == total.items
        assert sum(g.finance_mil for g in groups) == total.finance_mil
    assert len({g.key for g in by_area}) == len(by_area) > 1


def test_stack_queries_do_not_grow_with_the_plan():
    small = synthetic_plans_generate(plans=1, scale=1, seed=51, measurements_per_sub=0)[0].plan
    big = synthetic_plans_generate(plans=1, scale=4, seed=52, measurements_per_sub=0)[0].plan
    counts = []
    for plan in (small, big):
        with CaptureQueriesContext(connection) as queries:
            stack_by_status(plan=plan)
            stack_by_area(plan=plan)
            stack_plan_total(plan=plan)
        counts.append(len(queries))
    assert counts == [3, 3]


def test_items_without_money_count_but_add_nothing(demo_plan, django_assert_num_queries):
    # The seed leaves items 9, 19, 36 and 40 without an amount; item 46 costs 1,35 mil. Kč.
    some = StackItem.objects.filter(plan=demo_plan, number__in=[9, 19, 36, 40, 46])
    with django_assert_num_queries(1):
        totals = stack_totals(queryset=some)
    assert (totals.items, totals.finance_mil) == (5, Decimal("1.35"))


def test_totals_of_the_whole_stack_are_the_plans_own(demo_plan, other_plan):
    from smartplan.plans.models import Area

    area = Area.objects.create(plan=other_plan, name="Doprava")
    StackItem.objects.create(
        plan=other_plan, number=1, area=area, name="Cizí", finance_mil=Decimal(1000)
    )
    totals = stack_totals(queryset=StackItem.objects.filter(plan=demo_plan))
    assert totals.items == 53  # 44 of the original plan and 9 added in 2020
    original = stack_totals(queryset=StackItem.objects.filter(plan=demo_plan, number__lte=44))
    assert original.finance_mil == Decimal("916.8")
    assert totals.finance_mil > original.finance_mil
