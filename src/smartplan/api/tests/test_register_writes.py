"""Writes through the API: permissions, validation, actions, and no lost updates (If-Match)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from rest_framework.test import APIClient

from smartplan.indicators.models import Measurement
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/plans/liberec-2020/"
STACK = f"{PLAN}stack-items/"


@pytest.fixture
def item(demo_plan):
    return StackItem.objects.filter(plan=demo_plan).order_by("pk").first()


def test_create_change_and_delete_a_stack_item_with_czech_numbers(coordinator, item):
    sent = {
        "number": 500,
        "name": "Chytré lavičky",
        "area": item.area_id,
        "status": 4,
        "finance_mil": "1 234,5",
        "year_added": 2021,
    }
    created = coordinator.post(STACK, sent, format="json")
    assert created.status_code == 201, created.json()
    assert created["ETag"] == '"1"'
    row = created.json()
    assert row["finance_mil"] == "1234.500"
    url = f"{STACK}{row['id']}/"

    changed = coordinator.patch(
        url, {"finance_mil": "2 000,25"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == '"2"'
    assert StackItem.objects.get(pk=row["id"]).finance_mil == Decimal("2000.25")

    assert coordinator.delete(url).status_code == 428
    assert coordinator.delete(url, HTTP_IF_MATCH='"1"').status_code == 412
    assert coordinator.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204
    assert not StackItem.objects.filter(pk=row["id"]).exists()


def test_a_change_without_if_match_is_refused_with_428(coordinator, item):
    response = coordinator.patch(f"{STACK}{item.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 428
    assert response["Content-Type"] == "application/problem+json"
    assert "If-Match" in response.json()["detail"]
    item.refresh_from_db()
    assert item.name != "x"


def test_two_clients_editing_the_same_item_the_second_gets_412_with_what_changed(
    coordinator, item, django_user_model
):
    """Interleaved: both read version 1; the first saves; the second's save is refused."""
    other = APIClient(HTTP_ACCEPT_LANGUAGE="cs")
    other.force_login(django_user_model.objects.create_superuser("druhy", "d@x.invalid", "x"))
    url = f"{STACK}{item.pk}/"
    etag_first = coordinator.get(url)["ETag"]
    etag_second = other.get(url)["ETag"]
    assert etag_first == etag_second

    first = coordinator.patch(url, {"note": "první"}, format="json", HTTP_IF_MATCH=etag_first)
    assert first.status_code == 200
    second = other.patch(url, {"note": "druhý"}, format="json", HTTP_IF_MATCH=etag_second)
    assert second.status_code == 412
    body = second.json()
    assert body["status"] == 412
    assert "mezitím změnil někdo jiný" in body["detail"]
    assert body["current"]["note"] == "první"
    assert body["current"]["version"] == item.version + 1
    assert {"field": "note", "current": "první"} in body["changed"]
    item.refresh_from_db()
    assert item.note == "první"


def test_a_stale_edit_error_raised_by_the_save_is_a_412(coordinator, item, monkeypatch):
    """A change that passes the If-Match check but loses the race in the save itself."""
    from smartplan.api import register_rules
    from smartplan.core.versioning import StaleEditError

    url = f"{STACK}{item.pk}/"
    etag = coordinator.get(url)["ETag"]

    def racing_save(cls, obj, *, user, changed):
        raise StaleEditError(obj, based_on=obj.version, current=obj.version + 1)

    monkeypatch.setattr(register_rules.StackItemRules, "save", classmethod(racing_save))
    response = coordinator.patch(url, {"name": "nové"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["current"]["name"] == item.name
    # "changed" lists what others changed since the client's version, read from the row's
    # history (django-simple-history): the simulated race stored nothing (the refused save
    # is rolled back), so no field differs from the version the client started from. Before
    # history was recorded, the fields the client sent that differ from the row stood in.
    assert item.history.filter(version=item.version).exists()
    assert response.json()["changed"] == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_clients_on_postgresql_one_wins_one_gets_412(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (scripts/with-postgres)")
    user = django_user_model.objects.create_superuser("soubezny", "s@x.invalid", "x")
    item = StackItem.objects.filter(plan__slug="liberec-2020").order_by("pk").first()
    url = f"{STACK}{item.pk}/"
    barrier = threading.Barrier(2)
    codes = []

    def edit(note):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        response = client.patch(
            url, {"note": note}, format="json", HTTP_IF_MATCH=f'"{item.version}"'
        )
        codes.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=edit, args=(note,)) for note in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 412]
    item.refresh_from_db()
    assert item.version == 2 or item.note in ("A", "B")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"[null]", "application/json"),
        (b"{}", "application/json"),
        (b"null", "application/json"),
        (b'"text"', "application/json"),
        (b'{"number": "abc", "name": 5, "area": "x", "status": []}', "application/json"),
        (b'{"number": 100000000000000000000000, "name": "x", "status": 1}', "application/json"),
        (b'{"finance_mil": 1e400, "number": 1, "name": "x", "status": 1}', "application/json"),
        (b'{"finance_mil": "NaN", "number": 1, "name": "x", "status": 1}', "application/json"),
        (b'{"year_added": -5, "number": 1, "name": "x", "status": 1}', "application/json"),
        (b"\xff\xfe{", "application/json"),
        (b"not json at all", "application/json"),
        (b"<xml/>", "application/xml"),
        (
            b'{"area": 10000000000000000000000, "number": 1, "name": "x", "status": 1}',
            "application/json",
        ),
    ],
)
def test_malformed_bodies_are_4xx_problems(coordinator, item, body, content_type):
    for method, url, headers in (
        ("post", STACK, {}),
        ("put", f"{STACK}{item.pk}/", {"HTTP_IF_MATCH": f'"{item.version}"'}),
        ("patch", f"{STACK}{item.pk}/", {"HTTP_IF_MATCH": f'"{item.version}"'}),
    ):
        if method == "patch" and body == b"{}":
            continue  # changing nothing is a valid PATCH
        response = getattr(coordinator, method)(url, body, content_type=content_type, **headers)
        assert 400 <= response.status_code < 500, (method, body, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code


def test_references_to_another_plan_are_refused(coordinator, item, other_plan):
    from smartplan.plans.models import Area

    foreign = Area.objects.create(plan=other_plan, name="Cizí", short_name="C", order=1)
    response = coordinator.patch(
        f"{STACK}{item.pk}/", {"area": foreign.pk}, format="json", HTTP_IF_MATCH=f'"{item.version}"'
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["area"]


def test_the_model_rules_and_unique_keys_hold(coordinator, item):
    duplicate = {"number": item.number, "name": "Dvojník", "area": item.area_id, "status": 1}
    response = coordinator.post(STACK, duplicate, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_writes_need_a_login_and_the_permission(item, django_user_model):
    url = f"{STACK}{item.pk}/"
    assert APIClient().patch(url, {"name": "x"}, format="json").status_code == 401
    assert APIClient().post(STACK, {}, format="json").status_code == 401
    viewer = django_user_model.objects.create_user("jen-cte")
    viewer.user_permissions.add(Permission.objects.get(codename="view_stackitem"))
    client = APIClient()
    client.force_authenticate(viewer)
    refused = client.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH=f'"{item.version}"')
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Tento záznam registru zásobník projektů nemůžete měnit."
    valid = {"number": 501, "name": "x", "area": item.area_id, "status": 4}
    assert client.post(STACK, valid, format="json").status_code == 403
    assert client.delete(url, HTTP_IF_MATCH=f'"{item.version}"').status_code == 403
    item.refresh_from_db()
    assert item.name != "x"


def test_stack_status_goes_through_the_action(coordinator, item):
    url = f"{STACK}{item.pk}/"
    response = coordinator.patch(
        url, {"status": 9}, format="json", HTTP_IF_MATCH=f'"{item.version}"'
    )
    assert response.status_code == 400
    changed = coordinator.patch(
        url, {"status": 1}, format="json", HTTP_IF_MATCH=f'"{item.version}"'
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == 1


def test_fulfilment_goes_through_its_action(coordinator, demo_plan):
    activity = Activity.objects.filter(plan=demo_plan).exclude(fulfilments__year=2022).first()
    url = f"{PLAN}activity-fulfilments/"
    negative = coordinator.post(
        url, {"activity": activity.pk, "year": 2022, "spent": "-5"}, format="json"
    )
    assert negative.status_code == 400
    assert negative.json()["errors"][0]["field"] == "spent"
    outside = coordinator.post(
        url, {"activity": activity.pk, "year": 2030, "spent": "5"}, format="json"
    )
    assert outside.status_code == 400
    assert outside.json()["errors"][0]["field"] == "year"
    created = coordinator.post(
        url, {"activity": activity.pk, "year": 2022, "spent": "12 500,50"}, format="json"
    )
    assert created.status_code == 201, created.json()
    stored = ActivityFulfilment.objects.get(pk=created.json()["id"])
    assert stored.spent == Decimal("12500.50")
    money = coordinator.get(f"{PLAN}activities/{activity.pk}/").json()["spent_per_year"]
    assert {"year": 2022, "spent": "12500.50"} in money


def test_many_to_many_references_are_written(coordinator, demo_plan):
    from smartplan.projects.models import FlagshipProject, FundingSource

    project = FlagshipProject.objects.filter(plan=demo_plan).first()
    sources = list(FundingSource.objects.filter(plan=demo_plan).values_list("pk", flat=True)[:2])
    response = coordinator.patch(
        f"{PLAN}flagship-projects/{project.pk}/",
        {"funding_sources": sources},
        format="json",
        HTTP_IF_MATCH=f'"{project.version}"',
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["funding_sources"]) == sorted(sources)


def test_a_measurement_for_a_stored_date_updates_the_one_value(coordinator, demo_plan):
    url = f"{PLAN}measurements/"
    sent = {"sub_indicator": "8.1", "date": "30. 6. 2021", "value": "1 234,5"}
    first = coordinator.post(url, sent, format="json")
    assert first.status_code == 201, first.json()
    again = coordinator.post(url, {**sent, "value": "7"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    [stored] = Measurement.objects.filter(sub_indicator__code="8.1", date=dt.date(2021, 6, 30))
    assert stored.value == 7
    detail = f"{url}{stored.pk}/"
    stale = coordinator.put(
        detail, {"date": "2021-06-30", "value": "8"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["value"] == "7.0000"
    fresh = coordinator.put(
        detail, {"date": "2021-06-30", "value": "8"}, format="json", HTTP_IF_MATCH=again["ETag"]
    )
    assert fresh.status_code == 200
    assert (
        coordinator.put(detail, {"date": "2021-06-30", "value": "8"}, format="json").status_code
        == 428
    )
