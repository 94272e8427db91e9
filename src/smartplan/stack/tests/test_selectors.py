from decimal import Decimal

import pytest

from smartplan.stack.models import StackItem
from smartplan.stack.selectors import stack_totals

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
