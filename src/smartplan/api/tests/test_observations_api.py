"""Machine clients send observations through the API and read them back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from smartplan.access.policy import GUARANTOR
from smartplan.access.services import plan_role_grant
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.plans.models import Plan
from smartplan.projects.models import FlagshipProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(demo_plan):
    return ObservationSeries.objects.create(
        plan=demo_plan,
        code="energie-gymnazium-zitavska",
        name="Spotřeba elektřiny",
        unit="kWh",
        project=FlagshipProject.objects.filter(plan=demo_plan).earliest("pk"),
    )


@pytest.fixture
def meter_client(django_user_model, series):
    """A metering system's account: adds observations of its project's series (the roles
    are the only door: the least role that adds observations is the project's guarantor)."""
    user = django_user_model.objects.create_user("merici-system")
    plan_role_grant(plan=series.plan, user=user, role=GUARANTOR, projects=[series.project])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


URL = "/api/v1/plans/liberec-2020/observations/"


def test_post_observations_then_read_them(meter_client, series):
    payload = [
        {
            "series": series.code,
            "period_start": "2021-01-01",
            "period_end": "2021-01-31",
            "value": "1234.5",
        },
        {
            "series": series.code,
            "period_start": "2021-02-01",
            "period_end": "2021-02-28",
            "value": "1100",
        },
    ]
    response = meter_client.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2, "updated": 0}
    assert meter_client.post(URL, payload, format="json").json() == {"created": 0, "updated": 0}
    january = Observation.objects.get(series=series, period_start=dt.date(2021, 1, 1))
    assert january.value == Decimal("1234.5")
    listing = meter_client.get(URL, {"series": series.code}).json()
    assert len(listing["results"]) == 2
    assert listing["results"][0] == {
        "id": january.pk,
        "version": 1,
        "source": "",
        "series": series.code,
        "period_start": "2021-01-01",
        "period_end": "2021-01-31",
        "value": "1234.5000",
    }


def test_bad_items_refuse_the_whole_request(meter_client, series):
    payload = [
        {
            "series": series.code,
            "period_start": "2021-01-01",
            "period_end": "2021-01-31",
            "value": "5",
        },
        {
            "series": "neznama",
            "period_start": "2021-01-01",
            "period_end": "2021-01-31",
            "value": "5",
        },
        {
            "series": series.code,
            "period_start": "2021-03-31",
            "period_end": "2021-03-01",
            "value": "5",
        },
    ]
    response = meter_client.post(URL, payload, format="json")
    assert response.status_code == 400
    problems = response.json()["errors"]
    assert [p["pointer"] for p in problems] == ["/1/series", "/2/period_end"]
    assert "neznámá řada" in problems[0]["message"]
    assert Observation.objects.count() == 0


def test_malformed_values_are_reported_per_item(meter_client, series):
    payload = [
        {
            "series": series.code,
            "period_start": "31. 1. 2021",
            "period_end": "2021-01-31",
            "value": "x",
        }
    ]
    response = meter_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert [p["pointer"] for p in response.json()["errors"]] == ["/0/value"]  # 31. 1. is a date
    assert meter_client.post(URL, {"not": "a list"}, format="json").status_code == 400


def test_authentication_and_permission(series, django_user_model):
    Observation.objects.create(
        plan=series.plan,
        series=series,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 1, 31),
        value=1,
    )
    anonymous = APIClient()
    assert len(anonymous.get(URL).json()["results"]) == 1  # the plan is published
    Plan.objects.filter(pk=series.plan_id).update(published=False)
    assert anonymous.get(URL).json()["results"] == []  # the plan is not public
    reader = django_user_model.objects.create_user("ctenar")
    # Model permissions without a role in the plan: the public.
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_observation", "view_observation"])
    )
    client = APIClient()
    client.force_authenticate(reader)
    assert client.get(URL).json()["results"] == []  # logged in, without a role
    payload = [
        {
            "series": series.code,
            "period_start": "2021-01-01",
            "period_end": "2021-01-31",
            "value": "1",
        }
    ]
    assert client.post(URL, payload, format="json").status_code == 403
    assert client.get("/api/v1/plans/neni/observations/").status_code == 404
