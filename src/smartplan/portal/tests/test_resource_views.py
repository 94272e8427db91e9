"""The public resource database: filter, accent-insensitive search, external links."""

import datetime as dt

import pytest
from django.urls import reverse

from smartplan.plans.models import Area
from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.resources.models import Resource


@pytest.fixture
def resources(demo_plan):
    areas = list(Area.objects.filter(plan=demo_plan).order_by("order")[:2])
    return [
        Resource.objects.create(
            plan=demo_plan,
            title="Chytré řízení dopravy v Plzni",
            url="https://example.org/plzen",
            area=areas[0],
            added_on=dt.date(2021, 3, 1),
        ),
        Resource.objects.create(
            plan=demo_plan,
            title="Energetický management škol",
            url="https://example.org/energie",
            area=areas[1],
            description="Úspory energií ve školách",
            added_on=dt.date(2021, 4, 1),
        ),
    ]


def _get(client, plan, **query):
    return client.get(reverse("portal:resources", args=[plan.slug]), query)


def test_links_out_are_marked_external(client, demo_plan, resources):
    html = _get(client, demo_plan).content.decode()
    assert 'href="https://example.org/plzen" rel="noopener noreferrer external"' in html
    assert "externí odkaz" in html


def test_search_ignores_accents_and_filter_by_area(client, demo_plan, resources):
    plzen, energie = 'href="https://example.org/plzen"', 'href="https://example.org/energie"'
    html = _get(client, demo_plan, q="RIZENI").content.decode()
    assert plzen in html
    assert energie not in html
    html = _get(client, demo_plan, q="uspory").content.decode()
    assert energie in html
    assert plzen not in html
    html = _get(client, demo_plan, area=resources[1].area_id).content.decode()
    assert energie in html
    assert plzen not in html


def test_empty_result_and_bad_input(client, demo_plan, resources):
    response = _get(client, demo_plan, q="nicnenajdes")
    assert "Filtru neodpovídá žádný zdroj." in response.content.decode()
    response = _get(client, demo_plan, area="x")
    assert response.status_code == 400
    assert "Tento plán takovou oblast nemá." in response.content.decode()


def test_private_plan_is_not_found(client, demo_plan):
    demo_plan.published = False
    demo_plan.save(update_fields=["published"])
    assert _get(client, demo_plan).status_code == 404
