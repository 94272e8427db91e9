"""The steering group's seats, meetings and decisions: Czech names, numbering, plan scoping."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.organisations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(demo_plan):
    return Meeting.objects.get(plan=demo_plan, title="První jednání Řídící skupiny")


def test_a_seat_is_named_by_its_person_and_role_or_by_its_role(demo_plan):
    seats = {s.role: s for s in SteeringGroupMember.objects.filter(plan=demo_plan)}
    otta = seats["vedoucí odboru regionálního rozvoje a evropských projektů krajského úřadu"]
    assert str(otta) == (
        "Michael Otta (vedoucí odboru regionálního rozvoje a evropských projektů krajského úřadu)"
    )
    assert str(seats["jednatel ARR s.r.o."]) == "jednatel ARR s.r.o."


def test_one_seat_per_role_in_a_plan(demo_plan, other_plan):
    SteeringGroupMember.objects.create(plan=other_plan, role="jednatel ARR s.r.o.")
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringGroupMember.objects.create(plan=demo_plan, role="jednatel ARR s.r.o.")


def test_decisions_take_the_plan_of_their_meeting_and_read_in_czech(meeting):
    decision = Decision.objects.create(meeting=meeting, number="2020/4", text="Nové " * 20)
    assert decision.plan_id == meeting.plan_id
    assert decision.state == Decision.State.OPEN
    assert str(decision) == "2020/4: " + ("Nové " * 20)[:60]
    assert str(meeting) == "První jednání Řídící skupiny"
    assert str(Decision.State.IN_PROGRESS.label) == "v řešení"


def test_decision_numbers_are_unique_across_the_plans_meetings(meeting):
    later = Meeting.objects.create(
        plan=meeting.plan, date=dt.date(2021, 3, 1), title="Druhé jednání Řídící skupiny"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(meeting=later, number="2020/1", text="Dvojník")


def test_decisions_are_ordered_by_meeting_date_then_number(meeting):
    later = Meeting.objects.create(
        plan=meeting.plan, date=dt.date(2021, 3, 1), title="Druhé jednání Řídící skupiny"
    )
    Decision.objects.create(meeting=later, number="2021/1", text="Jaro")
    numbers = Decision.objects.filter(plan=meeting.plan).values_list("number", flat=True)
    assert list(numbers) == ["2020/1", "2020/2", "2020/3", "2021/1"]


def test_deleting_a_person_frees_the_seat_but_keeps_it(demo_plan):
    otta = Person.objects.get(plan=demo_plan, name="Michael Otta")
    seat = SteeringGroupMember.objects.get(person=otta)
    otta.delete()
    seat.refresh_from_db()
    assert seat.person is None
    assert str(seat) == seat.role
