"""The project stack: numbering per plan, money never negative, Czech labels."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from smartplan.plans.models import Area
from smartplan.stack.models import StackItem, StackStatus

pytestmark = pytest.mark.django_db


def test_an_item_reads_as_number_and_shortened_name(demo_plan):
    first = StackItem.objects.get(plan=demo_plan, number=1)
    assert str(first) == "1. Meteohlášky a kamerové systémy."
    long = StackItem(number=60, name="x" * 200)
    assert str(long) == "60. " + "x" * 80


def test_status_labels_are_czech():
    with translation.override("cs"):
        labels = [str(label) for label in StackStatus.labels]
    assert labels[0] == "Běžící, nepotřebují rozpracování"
    assert labels[3] == "Zásobník nápadů a námětů"


def test_numbers_are_unique_within_a_plan(demo_plan, other_plan):
    area = Area.objects.create(plan=other_plan, name="Doprava")
    StackItem.objects.create(plan=other_plan, number=1, area=area, name="Jinde jednička")
    first = StackItem.objects.get(plan=demo_plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StackItem.objects.create(plan=demo_plan, number=1, area=first.area, name="Dvojník")


def test_money_is_never_negative(demo_plan):
    item = StackItem.objects.get(plan=demo_plan, number=46)
    item.finance_mil = Decimal("-1")
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert list(caught.value.message_dict) == ["finance_mil"]
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()  # also when written around the form


def test_a_duration_of_more_than_a_century_is_a_typing_error(demo_plan):
    item = StackItem.objects.get(plan=demo_plan, number=1)
    item.duration_years = 400
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert list(caught.value.message_dict) == ["duration_years"]
