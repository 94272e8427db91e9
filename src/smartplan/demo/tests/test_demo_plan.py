"""The loaded demo plan against the figures of the 2020 annual report (the seed)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Indicator, SubIndicator
from smartplan.organisations.models import Person
from smartplan.partnerships.models import Award, ProjectIdea, SurveyedMunicipality
from smartplan.plans.models import Approval, Area, SpecificGoal, StrategicGoal
from smartplan.projects.models import Activity, ActivityCost, ActivityFulfilment, FlagshipProject
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

PROJECTS = {
    1: ("Sběr dopravních dat", "Doprava", {"Ušetřit"}),
    2: (
        "Podpora chytrých podnikatelských řešení",
        "Ekonomický rozvoj a cestovní ruch",
        {"Zlepšit"},
    ),
    3: ("Evidenční systém sbírkových předmětů", "Ekonomický rozvoj a cestovní ruch", {"Zlepšit"}),
    4: ("Energetický management", "Životní prostředí", {"Ušetřit"}),
    5: ("Hospodaření s vodou", "Životní prostředí", {"Ušetřit"}),
    6: ("Adaptace na trh práce v digitální ekonomice", "Vzdělávání", {"Zlepšit"}),
    7: ("Elektronická komunikace a kyberbezpečnost", "Veřejná správa", {"Ušetřit"}),
    8: ("Informační a datový portál", "Veřejná správa", {"Zrychlit"}),
    9: (
        "ICT infrastruktura",
        "Technická a datová infrastruktura a odolnost",
        {"Zrychlit", "Ušetřit", "Zlepšit"},
    ),
}

# Sub-indicator code -> (kind, target value, unit) as the seed's Appendix 1 states them.
TARGETS = {
    "1.1": ("number", Decimal("10000"), "stažení"),
    "1.2": ("number", Decimal("10"), "partnerů"),
    "1.3": ("number", Decimal("6"), "aplikací"),
    "2.1": ("number", Decimal("1"), None),
    "3.1": ("percent", Decimal("1"), "%"),
    "4.1": ("number", Decimal("2"), "akcí"),
    "5.1": ("number", Decimal("2"), "akcí"),
    "6.1": ("milestone", Decimal("1"), None),
    "7.1": ("percent", Decimal("1"), "%"),
    "7.2": ("percent", None, None),
    "8.1": ("number", Decimal("5"), None),
    "9.1": ("milestone", Decimal("1"), None),
}


def test_plan_frame(demo_plan):
    assert demo_plan.slug == "liberec-2020"
    assert demo_plan.ruian_uri == "https://linked.cuzk.cz/resource/ruian/vusc/78"
    assert (demo_plan.period_from, demo_plan.period_to) == (2020, 2022)
    assert demo_plan.owner.ico == "70891508"
    assert demo_plan.coordinator.short_name == "ARR"
    assert demo_plan.vision.startswith("V roce 2027 bude kraj efektivní organizace")
    approvals = list(Approval.objects.filter(plan=demo_plan).order_by("date"))
    assert [(a.body, a.date, a.resolution_number) for a in approvals] == [
        ("Rada Libereckého kraje", dt.date(2020, 2, 5), ""),
        ("Zastupitelstvo Libereckého kraje", dt.date(2020, 2, 25), "50/20/ZK"),
    ]
    goals = StrategicGoal.objects.filter(plan=demo_plan).values_list("code", "name")
    assert list(goals) == [(1, "Zrychlit"), (2, "Ušetřit"), (3, "Zlepšit")]
    assert sorted(SpecificGoal.objects.filter(plan=demo_plan).values_list("code", flat=True)) == [
        "1.4",
        "1.5",
        "2.1",
        "2.2",
        "3.4",
        "3.5",
        "3.6",
    ]
    assert Area.objects.filter(plan=demo_plan).count() == 9


def test_resource_database_is_described_not_invented(demo_plan):
    assert "125 záznamů" in demo_plan.description
    assert "naimportovat" in demo_plan.description
    from smartplan.resources.models import Resource

    assert Resource.objects.filter(plan=demo_plan).count() == 0


def test_nine_flagship_projects_with_areas_and_goals(demo_plan):
    projects = FlagshipProject.objects.filter(plan=demo_plan).select_related("area")
    found = {
        p.number: (p.name, p.area.name, {g.name for g in p.strategic_goals.all()}) for p in projects
    }
    assert found == PROJECTS


def test_project_cards(demo_plan):
    transport = FlagshipProject.objects.get(plan=demo_plan, number=1)
    assert transport.guarantor.name == "Odbor dopravy"
    assert transport.implementer.short_name == "KORID LK"
    assert transport.council_member.name == "Jan Sviták"
    assert len(transport.description_points) == 3
    report = transport.status_reports.get(year=2020)
    assert "studie proveditelnosti" in report.preparation_status
    assert report.planned_activities.split("\n\n")[0] == "Zpracování studie proveditelnosti"

    collections = FlagshipProject.objects.get(plan=demo_plan, number=3)
    assert collections.coordinated is False
    assert "mimo Akční plán" in collections.not_coordinated_reason
    assert collections.status_reports.count() == 0
    coordinated_with_2020_status = FlagshipProject.objects.filter(
        plan=demo_plan, status_reports__year=2020
    ).count()
    assert coordinated_with_2020_status == 8


def test_activities_and_2020_fulfilment(demo_plan):
    activities = Activity.objects.filter(plan=demo_plan)
    assert activities.count() == 38
    per_project = {
        p.number: p.activities.count() for p in FlagshipProject.objects.filter(plan=demo_plan)
    }
    assert per_project == {1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4, 7: 6, 8: 4, 9: 4}
    fulfilment = ActivityFulfilment.objects.filter(plan=demo_plan, year=2020)
    assert fulfilment.count() == 38
    # Appendix 3: every activity shows 0,00 Kč for 2020.
    assert fulfilment.aggregate(total=Sum("spent"))["total"] == Decimal("0")
    assert (
        fulfilment.get(activity__project__number=3, activity__number=1).outputs == "Nerealizováno"
    )

    study = activities.get(project__number=1, number=1)
    assert study.cost_max == Decimal("500000")
    assert study.timing_text == "1. rok"
    continuous = activities.get(project__number=1, number=4)
    assert continuous.continuous is True

    parts = list(activities.filter(project__number=7, number=1).values_list("part", flat=True))
    assert sorted(parts) == ["AD1", "AD2"]


def test_documented_costs_beside_activities(demo_plan):
    costs = ActivityCost.objects.filter(plan=demo_plan).order_by("amount")
    assert [(c.amount, c.vat_included) for c in costs] == [
        (Decimal("260000"), False),
        (Decimal("270000"), False),
    ]
    assert "Žitavská" in costs[0].description
    assert costs[0].activity.project.number == 4


def test_nine_indicators_with_every_target(demo_plan):
    indicators = Indicator.objects.filter(plan=demo_plan)
    assert indicators.count() == 9
    for indicator in indicators:
        assert indicator.project is not None
        assert indicator.project.number == indicator.number
        assert indicator.last_update == dt.date(2020, 11, 1)
        assert indicator.target_state
        assert indicator.data_source
        assert indicator.methodology
    subs = {s.code: s for s in SubIndicator.objects.filter(plan=demo_plan)}
    assert set(subs) == set(TARGETS)
    for code, (kind, target, unit) in TARGETS.items():
        sub = subs[code]
        assert sub.kind == kind, code
        assert sub.target_value == target, code
        if unit:
            assert sub.unit == unit, code
        if target is not None:
            assert sub.target_date == dt.date(2022, 12, 31), code
    assert subs["7.1"].target_is_relative is True
    ict = indicators.get(number=9)
    assert ict.specific_goal is None
    assert ict.specific_goal_note == "Všechny specifické cíle"
    assert ict.strategic_goals.count() == 3
    assert indicators.get(number=1).specific_goal.code == "2.2"
    assert indicators.get(number=1).responsible_person.email == "jiri.hrubon@korid.cz"
    assert "100 %" in indicators.get(number=3).target_state


def test_responsible_people_from_the_cards(demo_plan):
    people = {p.name: p for p in Person.objects.filter(plan=demo_plan)}
    assert len(people) == 13
    assert people["Jan Čáp"].phone == "485 226 596"
    assert people["Pavel Tvrzník"].email == "pavel.tvrznik@kraj-lbc.cz"
    assert all(p.publish_contact for p in people.values())


def test_stack_totals_and_columns(demo_plan):
    stack = StackItem.objects.filter(plan=demo_plan)
    assert stack.count() == 53
    original = stack.filter(number__lte=44)
    assert original.aggregate(total=Sum("finance_mil"))["total"] == Decimal("916.8")
    assert not original.filter(year_added__isnull=False).exists()
    assert stack.filter(year_added=2020).count() == 9
    assert list(stack.values_list("number", flat=True)) == list(range(1, 54))

    first = stack.get(number=1)
    assert (first.status, first.finance_mil, first.duration_years) == (2, Decimal("8"), 4)
    assert first.guarantor.name == "Odbor dopravy"
    assert first.flagship.number == 1
    assert first.note == "cca 1,5 mil. Kč - 1 meteohláška"

    realised = stack.get(number=39)
    assert realised.finance_mil == Decimal("200")
    assert realised.duration_years is None
    assert realised.duration_text == "Realizováno"
    for number in (9, 19, 36, 40):
        assert stack.get(number=number).finance_mil is None, number
    assert stack.get(number=46).finance_mil == Decimal("1.35")
    assert stack.get(number=45).area_label == "Energetický management"
    status_counts = {s: stack.filter(status=s).count() for s in (1, 2, 3, 4)}
    assert sum(status_counts.values()) == 53
    assert all(count > 0 for count in status_counts.values())
    # The seed's "Stav" column for the first items (Doprava, ER + CR).
    assert [stack.get(number=n).status for n in range(1, 8)] == [2, 2, 3, 4, 4, 3, 3]


def test_partnerships(demo_plan):
    towns = SurveyedMunicipality.objects.filter(plan=demo_plan).select_related("organisation")
    assert towns.count() == 10
    assert "Město Nový Bor" in {t.organisation.name for t in towns}
    award = Award.objects.get(plan=demo_plan)
    assert (award.competition, award.category, award.place) == (
        "Soutěž Chytrá města 2020",
        "Vize",
        1,
    )
    ideas = ProjectIdea.objects.filter(plan=demo_plan)
    assert ideas.count() == 2
    assert {i.area.name for i in ideas} == {"Zdravotnictví"}


def test_steering_group_and_first_meeting(demo_plan):
    assert SteeringGroupMember.objects.filter(plan=demo_plan).count() == 7
    meeting = Meeting.objects.get(plan=demo_plan)
    assert (meeting.date.year, meeting.date.month, meeting.date_precision) == (2020, 12, "month")
    assert Decision.objects.filter(meeting=meeting).count() == 3
