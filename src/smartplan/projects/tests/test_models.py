"""Rules of flagship projects, their activities, yearly fulfilment and costs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from smartplan.plans.models import Area
from smartplan.projects.models import (
    Activity,
    ActivityCost,
    ActivityFulfilment,
    FlagshipProject,
    ProjectStatusReport,
    split_points,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(demo_plan):
    return FlagshipProject.objects.get(plan=demo_plan, number=8)


def test_rows_under_a_project_take_its_plan(portal):
    activity = Activity.objects.create(project=portal, number=9, description="Nová aktivita")
    fulfilment = ActivityFulfilment.objects.create(activity=activity, year=2021, spent=1000)
    cost = ActivityCost.objects.create(activity=activity, description="Licence", amount=500)
    status = ProjectStatusReport.objects.create(
        project=portal, year=2021, quarter=1, preparation_status="Běží"
    )
    assert {row.plan_id for row in (activity, fulfilment, cost, status)} == {portal.plan_id}


def test_czech_names(portal):
    activity = Activity(project=portal, number=3, part="AD1", description="x")
    with translation.override("cs"):
        assert str(activity) == "Aktivita 3 (AD1)"
        assert str(Activity(project=portal, number=2, description="x")) == "Aktivita 2"
    assert str(portal) == "8. Informační a datový portál"
    status = ProjectStatusReport(project=portal, year=2021, quarter=2)
    assert str(status) == "8. Informační a datový portál – 2/2021"
    assert str(ProjectStatusReport(project=portal, year=2020)) == (
        "8. Informační a datový portál – 2020"
    )


def test_an_activity_cannot_end_before_it_starts(portal):
    activity = Activity(
        plan=portal.plan, project=portal, number=9, description="x", timing_from=3, timing_to=2
    )
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert "Aktivita nemůže skončit dřív, než začne." in caught.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_the_lower_cost_estimate_cannot_exceed_the_upper(portal):
    activity = Activity(
        plan=portal.plan,
        project=portal,
        number=9,
        description="x",
        cost_min=Decimal(2000),
        cost_max=Decimal(1000),
    )
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert "Dolní odhad je vyšší než horní." in caught.value.messages
    activity.cost_max = None  # only a lower estimate is allowed
    activity.full_clean()


def test_one_yearly_status_and_one_status_per_quarter(portal):
    assert ProjectStatusReport.objects.filter(project=portal, year=2020, quarter=None).exists()
    duplicate = ProjectStatusReport(
        plan=portal.plan, project=portal, year=2020, preparation_status="Znovu"
    )
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "Tento projekt už má stav za daný rok." in caught.value.messages
    # The year's status and its quarters live side by side.
    ProjectStatusReport.objects.create(
        project=portal, year=2020, quarter=4, preparation_status="Q4"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectStatusReport.objects.create(
            project=portal, year=2020, quarter=4, preparation_status="Q4 znovu"
        )


def test_one_fulfilment_per_activity_and_year_never_negative(portal):
    activity = Activity.objects.filter(project=portal).first()
    year = ActivityFulfilment.objects.filter(activity=activity).first().year
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFulfilment.objects.create(activity=activity, year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFulfilment.objects.create(activity=activity, year=2022, spent=Decimal(-1))


def test_a_project_refuses_an_area_of_another_plan(portal, other_plan):
    foreign = Area.objects.create(plan=other_plan, name="Cizí oblast")
    portal.area = foreign
    with pytest.raises(ValidationError) as caught:
        portal.clean()
    assert caught.value.message_dict == {"area": ["Tento záznam patří k jinému plánu."]}


def test_description_points_are_paragraphs(portal):
    assert split_points("První\nbod.\n\n  Druhý   bod.\n\n\n") == ["První bod.", "Druhý bod."]
    points = portal.description_points  # the three points of the seed's project card
    assert len(points) == 3
    assert points[0] == (
        "Vznik jednotného datového portálu pro zpřístupnění relevantních dostupných veřejných "
        "dat a informací."
    )
    assert (
        points[2]
        == "Vytvoření variability portálu ve více modifikacích dle místa přihlášení uživatele."
    )


def test_project_numbers_are_unique_within_a_plan(portal, other_plan):
    area = Area.objects.create(plan=other_plan, name="Doprava")
    FlagshipProject.objects.create(plan=other_plan, number=8, name="Jiný portál", area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        FlagshipProject.objects.create(plan=portal.plan, number=8, name="Dvojník", area=portal.area)
