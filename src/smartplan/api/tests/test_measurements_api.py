"""Machine clients read and write measured values; the measurement action's rules hold."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurements_save
from smartplan.plans.models import Plan

pytestmark = pytest.mark.django_db
URL = "/api/v1/plans/liberec-2020/measurements/"


@pytest.fixture
def data_client(django_user_model, demo_plan):
    """The open-data portal's account: may add and change measured values (a data provider
    of the sub-indicators these tests write; model permissions alone grant nothing)."""
    user = django_user_model.objects.create_user("datovy-portal")
    plan_role_grant(
        plan=demo_plan,
        user=user,
        role=PROVIDER,
        sub_indicators=SubIndicator.objects.filter(plan=demo_plan, code__in=["6.1", "8.1"]),
    )
    client = APIClient(HTTP_ACCEPT_LANGUAGE="cs")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


def test_post_a_value_then_read_it(data_client, demo_plan):
    sent = {"sub_indicator": "8.1", "date": "2021-06-30", "value": "3", "final": True}
    response = data_client.post(URL, sent, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("sub_indicator", "date", "value", "status")} == {
        "sub_indicator": "8.1",
        "date": "2021-06-30",
        "value": "3.0000",
        "status": "final",
    }
    stored = Measurement.objects.get(pk=body["id"])
    assert stored.entered_by == data_client.user
    assert response["ETag"] == '"1"'
    listing = data_client.get(URL, {"sub_indicator": "8.1"}).json()
    assert listing["next"] is None
    assert [row["id"] for row in listing["results"]] == [body["id"]]


def test_a_final_value_changed_without_a_reason_is_refused_with_czech_problems(
    data_client, demo_plan
):
    posted = data_client.post(
        URL, {"sub_indicator": "8.1", "date": "2021-06-30", "value": "3", "final": True}
    )
    created = posted.json()
    detail = f"{URL}{created['id']}/"
    change = {"date": "2021-06-30", "value": "4", "final": True}

    response = data_client.put(detail, change, format="json", HTTP_IF_MATCH=posted["ETag"])
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["detail"] == "Nic nebylo uloženo (1 problém):"
    [problem] = body["errors"]
    assert problem["field"] == "reason"
    assert "Hodnota 8.1 k 30. 6. 2021 je konečná; uveďte důvod změny" in problem["message"]
    # The same through POST: a value for a stored date changes that value, by the same rules.
    again = data_client.post(URL, {"sub_indicator": "8.1", **change}, format="json")
    assert [p["field"] for p in again.json()["errors"]] == ["reason"]
    assert Measurement.objects.get().value == 3
    assert not MeasurementRevision.objects.exists()

    change["reason"] = "Započtena i datová sada o dopravě."
    response = data_client.put(detail, change, format="json", HTTP_IF_MATCH=posted["ETag"])
    assert response.status_code == 200, response.json()
    assert response.json()["value"] == "4.0000"
    revision = MeasurementRevision.objects.get()
    assert (revision.old_value, revision.reason, revision.changed_by) == (
        Decimal(3),
        "Započtena i datová sada o dopravě.",
        data_client.user,
    )


def test_every_problem_names_its_field(data_client, demo_plan):
    response = data_client.post(
        URL,
        {"sub_indicator": "6.1", "date": "2021-06-30", "period_start": "2021-07-01", "value": 2},
        format="json",
    )
    assert response.status_code == 400
    problems = {p["field"]: p["message"] for p in response.json()["errors"]}
    assert "Milník má hodnotu 0" in problems["value"]
    assert "Období nemůže skončit dřív, než začne" in problems["period_start"]
    unknown = data_client.post(
        URL, {"sub_indicator": "9.9", "date": "2021-06-30", "value": 1}, format="json"
    ).json()
    assert unknown["errors"][0]["field"] == "sub_indicator"
    assert "takový indikátor ani dílčí indikátor neexistuje" in unknown["errors"][0]["message"]
    malformed = data_client.post(
        URL, {"sub_indicator": "8.1", "date": "30. 6. 2021", "value": "x"}, format="json"
    ).json()
    assert {p["field"] for p in malformed["errors"]} == {"value"}  # a Czech date is fine
    assert not Measurement.objects.exists()


def test_reading_shows_only_permitted_rows_and_writing_needs_a_permission(
    data_client, demo_plan, django_user_model
):
    sent = {"sub_indicator": "8.1", "date": "2021-06-30", "value": "3"}
    assert data_client.post(URL, sent, format="json").status_code == 201
    [row] = APIClient().get(URL).json()["results"]  # the public reads a published plan
    assert row["sub_indicator"] == "8.1"
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    assert APIClient().get(URL).json()["results"] == []  # nothing of an unpublished plan
    assert APIClient().post(URL, sent, format="json").status_code == 401
    reader = APIClient()
    # Model permissions without a role in the plan: the public.
    without_role = django_user_model.objects.create_user("ctenar")
    without_role.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_measurement", "add_measurement"])
    )
    reader.force_authenticate(without_role)
    assert reader.get(URL).json()["results"] == []
    assert reader.post(URL, sent, format="json").status_code == 403
    assert reader.get("/api/v1/plans/neni/measurements/").status_code == 404


def test_the_list_queries_do_not_grow_with_the_values(data_client, demo_plan):
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert data_client.get(URL).status_code == 200
        return len(queries)

    def add(days):
        entries = [
            MeasurementEntry(
                sub_indicator=datasets,
                date=dt.date(2021, 1, 1) + dt.timedelta(days=n),
                value=Decimal(5),
            )
            for n in days
        ]
        measurements_save(entries=entries, user=None)

    add(range(2))
    few = count_queries()
    add(range(2, 60))
    assert count_queries() == few
