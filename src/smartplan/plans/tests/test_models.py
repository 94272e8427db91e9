"""Rules of the plan and its frame: periods, goal numbering, plan scoping."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from smartplan.indicators.models import Indicator
from smartplan.plans.models import Approval, Area, SpecificGoal, StrategicGoal
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def test_a_plan_cannot_end_before_it_starts(other_plan):
    other_plan.period_to = 2020
    with pytest.raises(ValidationError) as caught:
        other_plan.full_clean()
    assert caught.value.message_dict["period_to"] == ["Plán nemůže skončit dřív, než začne."]
    with pytest.raises(IntegrityError), transaction.atomic():
        other_plan.save()  # the database refuses it too, whoever writes


def test_years_and_ruian_address_of_the_demo(demo_plan, other_plan):
    assert list(demo_plan.years) == [2020, 2021, 2022]
    assert demo_plan.ruian_uri == "https://linked.cuzk.cz/resource/ruian/vusc/78"
    assert other_plan.ruian_uri == "https://linked.cuzk.cz/resource/ruian/obec/563889"


def test_ruian_code_is_a_number(other_plan):
    other_plan.ruian_code = "78a"
    with pytest.raises(ValidationError) as caught:
        other_plan.full_clean()
    assert list(caught.value.message_dict) == ["ruian_code"]


def test_slug_is_unique_across_plans(demo_plan, other_plan):
    other_plan.slug = demo_plan.slug
    with pytest.raises(IntegrityError), transaction.atomic():
        other_plan.save()


def test_goal_numbers_are_unique_within_a_plan_only(demo_plan, other_plan):
    StrategicGoal.objects.create(plan=other_plan, code=1, name="Zrychlit")  # 1 exists in demo
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategicGoal.objects.create(plan=demo_plan, code=1, name="Znovu")
    assert StrategicGoal.objects.filter(code=1).count() == 2


def test_specific_goal_takes_its_plan_from_the_strategic_goal(other_plan):
    goal = StrategicGoal.objects.create(plan=other_plan, code=2, name="Ušetřit")
    specific = SpecificGoal.objects.create(strategic_goal=goal, code="2.1", text="Méně papíru")
    assert specific.plan == other_plan
    assert str(specific) == "2.1 Méně papíru"
    assert str(goal) == "2 Ušetřit"


def test_specific_goal_numbering_follows_its_goal(demo_plan):
    goal = StrategicGoal.objects.get(plan=demo_plan, code=2)
    specific = SpecificGoal(plan=demo_plan, strategic_goal=goal, code="3.9", text="Omyl")
    with pytest.raises(ValidationError) as caught:
        specific.full_clean()
    assert caught.value.message_dict["code"] == [
        "Specifický cíl strategického cíle 2 má číslo ve tvaru 2.N."
    ]
    specific.code = "2.9"
    specific.full_clean()


def test_specific_goal_of_another_plans_goal_is_refused(demo_plan, other_plan):
    foreign = StrategicGoal.objects.get(plan=demo_plan, code=1)
    specific = SpecificGoal(plan=other_plan, strategic_goal=foreign, code="1.9", text="Cizí")
    with pytest.raises(ValidationError) as caught:
        specific.full_clean()
    assert caught.value.message_dict["strategic_goal"] == ["Cíl patří k jinému plánu."]


def test_specific_goal_code_has_the_form_n_dot_m(demo_plan):
    goal = StrategicGoal.objects.get(plan=demo_plan, code=1)
    with pytest.raises(ValidationError) as caught:
        SpecificGoal(plan=demo_plan, strategic_goal=goal, code="1-9", text="x").full_clean()
    assert "code" in caught.value.message_dict


def test_approval_str_and_uniqueness(demo_plan):
    approval = Approval.objects.get(plan=demo_plan, resolution_number="50/20/ZK")
    assert str(approval) == "Zastupitelstvo Libereckého kraje 2020-02-25"
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(
            plan=demo_plan, body="Zastupitelstvo Libereckého kraje", date=dt.date(2020, 2, 25)
        )


def test_an_area_in_use_cannot_be_deleted(demo_plan):
    transport = Area.objects.get(plan=demo_plan, name="Doprava")
    assert str(transport) == "Doprava"
    with pytest.raises(IntegrityError), transaction.atomic():
        transport.delete()  # stack items and projects hold it (RESTRICT)
    assert StackItem.objects.filter(plan=demo_plan, area=transport).count() == 6


def test_deleting_a_plan_deletes_its_registers_and_nothing_else(demo_plan, other_plan):
    area = Area.objects.create(plan=other_plan, name="Doprava")
    StackItem.objects.create(plan=other_plan, number=1, area=area, name="Jiný zásobník")
    demo_plan.delete()
    assert not Indicator.objects.exists()
    assert list(StackItem.objects.values_list("plan__slug", "number")) == [("chytra-obec-2021", 1)]
