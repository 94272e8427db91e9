"""The resource database: links per plan, filed under a thematic area."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from smartplan.plans.models import Area
from smartplan.projects.models import FlagshipProject
from smartplan.resources.models import Resource

pytestmark = pytest.mark.django_db
URL = "https://www.smartcityvpraxi.cz/"


@pytest.fixture
def resource(demo_plan):
    return Resource.objects.create(
        plan=demo_plan,
        title="Smart City v praxi",
        url=URL,
        area=Area.objects.get(plan=demo_plan, name="Veřejná správa"),
        flagship=FlagshipProject.objects.get(plan=demo_plan, number=8),
        added_on=dt.date(2020, 6, 1),
    )


def test_a_link_once_per_plan(resource, other_plan):
    assert str(resource) == "Smart City v praxi"
    area = Area.objects.create(plan=other_plan, name="Veřejná správa")
    Resource.objects.create(
        plan=other_plan, title="Totéž jinde", url=URL, area=area, added_on=dt.date(2021, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(
            plan=resource.plan,
            title="Dvojník",
            url=URL,
            area=resource.area,
            added_on=dt.date(2021, 1, 1),
        )


def test_an_area_with_resources_cannot_be_deleted_a_project_can(resource, other_plan):
    area = Area.objects.create(plan=other_plan, name="Jen zdroje")
    Resource.objects.create(
        plan=other_plan, title="Zdroj", url=URL, area=area, added_on=dt.date(2021, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        area.delete()
    resource.flagship.delete()
    resource.refresh_from_db()
    assert resource.flagship is None


def test_resources_are_listed_by_area_order_then_title(demo_plan, resource):
    transport = Area.objects.get(plan=demo_plan, name="Doprava")
    assert transport.order < resource.area.order
    Resource.objects.create(
        plan=demo_plan,
        title="Zzz doprava",
        url="https://a.example/",
        area=transport,
        added_on=dt.date(2020, 1, 1),
    )
    Resource.objects.create(
        plan=demo_plan,
        title="Aaa správa",
        url="https://b.example/",
        area=resource.area,
        added_on=dt.date(2020, 1, 1),
    )
    titles = list(Resource.objects.filter(plan=demo_plan).values_list("title", flat=True))
    assert titles == ["Zzz doprava", "Aaa správa", "Smart City v praxi"]
