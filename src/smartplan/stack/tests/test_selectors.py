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
