"""Partnerships: surveyed towns and their projects, awards and new project ideas."""

import pytest
from django.db import IntegrityError, transaction

from smartplan.organisations.models import Organisation
from smartplan.partnerships.models import (
    Award,
    MunicipalProject,
    ProjectIdea,
    SurveyedMunicipality,
)
from smartplan.plans.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def novy_bor(demo_plan):
    return SurveyedMunicipality.objects.get(plan=demo_plan, organisation__short_name="Nový Bor")


def test_a_surveyed_town_is_named_by_its_organisation(novy_bor):
    assert str(novy_bor) == "Nový Bor"


def test_a_town_is_surveyed_once_per_plan(novy_bor):
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyedMunicipality.objects.create(plan=novy_bor.plan, organisation=novy_bor.organisation)


def test_municipal_projects_take_the_plan_of_their_town_and_are_unique_there(novy_bor):
    project = MunicipalProject.objects.create(municipality=novy_bor, name="Chytré lampy")
    assert project.plan_id == novy_bor.plan_id
    assert str(project) == "Chytré lampy"
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalProject.objects.create(municipality=novy_bor, name="Chytré lampy")
    semily = SurveyedMunicipality.objects.get(plan=novy_bor.plan, organisation__short_name="Semily")
    MunicipalProject.objects.create(municipality=semily, name="Chytré lampy")  # another town


def test_deleting_the_towns_organisation_deletes_its_survey_and_projects(novy_bor):
    MunicipalProject.objects.create(municipality=novy_bor, name="Chytré lampy")
    Organisation.objects.filter(pk=novy_bor.organisation_id).delete()
    assert not SurveyedMunicipality.objects.filter(pk=novy_bor.pk).exists()
    assert not MunicipalProject.objects.filter(name="Chytré lampy").exists()
    assert SurveyedMunicipality.objects.filter(plan=novy_bor.plan).count() == 9


def test_award_reads_competition_and_category_once_per_plan(demo_plan):
    award = Award.objects.get(plan=demo_plan)
    assert str(award) == "Soutěž Chytrá města 2020 – Vize"
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            plan=demo_plan, competition="Soutěž Chytrá města 2020", category="Vize", year=2021
        )


def test_an_idea_keeps_living_when_its_area_goes(demo_plan, other_plan):
    area = Area.objects.create(plan=other_plan, name="Zdravotnictví")
    idea = ProjectIdea.objects.create(
        plan=other_plan, title="Aliance nemocnic Libereckého kraje", area=area, year=2021
    )  # the same title as the demo's idea, in another plan
    area.delete()
    idea.refresh_from_db()
    assert idea.area is None
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectIdea.objects.create(
            plan=demo_plan, title="Aliance nemocnic Libereckého kraje", year=2021
        )
