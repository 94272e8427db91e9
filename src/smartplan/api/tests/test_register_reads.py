"""Every register is read through the API: keyset pages, filters, sorting, ETag, visibility."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from smartplan.access.policy import GUARANTOR, PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.api.registers import REGISTERS
from smartplan.indicators.models import SubIndicator
from smartplan.organisations.models import Person
from smartplan.plans.models import Area, Plan
from smartplan.projects.models import Activity, FlagshipProject
from smartplan.reports.models import Report, ReportFile
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/plans/liberec-2020/"


def _all_pages(client, url, **params):
    """Every row of a list, page by page, and the number of pages."""
    rows, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        rows.extend(body["results"])
        pages += 1
        if body["next"] is None:
            return rows, pages
        response = client.get(body["next"])


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.path)
def test_every_register_lists_and_details_what_the_coordinator_sees(
    coordinator, demo_plan, register
):
    url = f"{PLAN}{register.path}/"
    rows, _ = _all_pages(coordinator, url, limit=3)
    model = register.model
    assert sorted(row["id"] for row in rows) == sorted(
        model._default_manager.filter(plan=demo_plan).values_list("pk", flat=True)
    )
    if rows:
        detail = coordinator.get(f"{url}{rows[0]['id']}/")
        assert detail.status_code == 200
        assert detail.json() == rows[0]
        assert detail["ETag"] == f'"{rows[0]["version"]}"'
        assert detail["Last-Modified"]
        again = coordinator.get(f"{url}{rows[0]['id']}/", HTTP_IF_NONE_MATCH=detail["ETag"])
        assert again.status_code == 304


def test_plans_list_and_detail(coordinator, demo_plan, public):
    listing = coordinator.get("/api/v1/plans/").json()
    assert [plan["slug"] for plan in listing["results"]] == ["liberec-2020"]
    detail = coordinator.get(PLAN)
    assert detail.json()["name"] == demo_plan.name
    assert detail["ETag"] == f'"{demo_plan.version}"'
    # The public reads a published plan (the demo plan is), and no plan that is not.
    assert [plan["slug"] for plan in public.get("/api/v1/plans/").json()["results"]] == [
        "liberec-2020"
    ]
    assert public.get(PLAN).json()["name"] == demo_plan.name
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    assert public.get("/api/v1/plans/").json()["results"] == []
    assert public.get(PLAN).status_code == 404


def test_keyset_pages_neither_repeat_nor_skip_rows_when_rows_change_between_pages(
    coordinator, demo_plan
):
    url = f"{PLAN}stack-items/"
    first = coordinator.get(url, {"limit": 5, "ordering": "-number"}).json()
    numbers = [row["number"] for row in first["results"]]
    assert numbers == sorted(numbers, reverse=True)
    # Someone deletes a row already read and adds one: the next page starts after the last row.
    StackItem.objects.filter(pk=first["results"][0]["id"]).delete()
    StackItem.objects.create(
        plan=demo_plan, number=999, name="Nový", status=4, area=StackItem.objects.first().area
    )
    rest, _ = _all_pages(coordinator, first["next"])
    later = [row["number"] for row in rest]
    assert later == sorted(later, reverse=True)
    assert not set(later) & set(numbers)
    assert len(numbers) + len(later) == StackItem.objects.filter(plan=demo_plan).count()


def test_a_page_costs_the_same_queries_whatever_the_rows_and_the_depth(coordinator, demo_plan):
    url = f"{PLAN}activities/"

    def queries(link, **params):
        with CaptureQueriesContext(connection) as captured:
            response = coordinator.get(link, params)
        assert response.status_code == 200
        return len(captured), response.json()

    first_count, _ = queries(url, limit=2)
    project = Activity.objects.filter(plan=demo_plan).first().project
    Activity.objects.bulk_create(
        Activity(plan=demo_plan, project=project, number=100 + n, description="x")
        for n in range(300)
    )
    big_count, big = queries(url, limit=200)
    deep_count, _ = queries(big["next"], limit=200)
    assert first_count == big_count == deep_count
    assert len(big["results"]) == 200


def test_sorting_filters_and_dates_typed_the_czech_way(coordinator, demo_plan):
    url = f"{PLAN}communication-activities/"
    everything, _ = _all_pages(coordinator, url)
    since = [row for row in everything if row["date"] and row["date"] >= "2021-01-01"]
    for typed in ("1. 1. 2021", "1.1.2021", "2021-01-01"):
        found, _ = _all_pages(coordinator, url, date__gte=typed)
        assert [row["id"] for row in found] == [row["id"] for row in since]
    project = Activity.objects.filter(plan=demo_plan).first().project
    activities, _ = _all_pages(coordinator, f"{PLAN}activities/", project=project.pk)
    assert {row["project"] for row in activities} == {project.pk}
    by_title, _ = _all_pages(coordinator, f"{PLAN}stack-items/", ordering="status,-number", limit=4)
    keys = [(row["status"], -row["number"]) for row in by_title]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    "query",
    [
        "limit=10000000000000000000",
        "limit=0",
        "limit=501",
        "limit=abc",
        "limit=-1",
        "cursor=garbage",
        "cursor=WyJpZCIsWyJ4Il1d",  # ["id",["x"]]
        "cursor=WyJpZCIsWzFdXQ&ordering=name",  # a cursor of another ordering
        "ordering=nonsense",
        "ordering=description",  # free text is not sortable
        "date__gte=xyz",
        "area=abc",
        "area=10000000000000000000",
        "year=99999999999999999999999",
        "status=7",
    ],
)
def test_bad_parameters_are_a_problem_not_a_server_error(coordinator, demo_plan, query):
    register = "communication-activities" if "date" in query else "stack-items"
    if "year" in query:
        register = "awards"
    response = coordinator.get(f"{PLAN}{register}/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["type"].startswith("urn:smartplan:problem:")
    assert body["instance"] == f"{PLAN}{register}/"
    assert body["errors"][0]["message"]


def test_unknown_parameters_are_ignored(coordinator, demo_plan):
    response = coordinator.get(f"{PLAN}stack-items/?plan__id__exact=abc")
    assert response.status_code == 200


def test_problems_speak_czech_unless_english_is_asked_for(demo_plan, django_user_model):
    user = django_user_model.objects.create_superuser("admin-en", "a@example.invalid", "x")
    czech, english = APIClient(), APIClient(HTTP_ACCEPT_LANGUAGE="en")
    czech.force_authenticate(user)
    english.force_authenticate(user)
    url = f"{PLAN}stack-items/?limit=abc"
    assert czech.get(url).json()["errors"][0]["message"].startswith("Zadejte celé číslo")
    assert english.get(url).json()["errors"][0]["message"].startswith("Send a whole number")


def test_list_etag_and_last_modified(coordinator, demo_plan):
    url = f"{PLAN}areas/"
    first = coordinator.get(url)
    assert first["ETag"].startswith('W/"')
    assert first["Last-Modified"]
    assert coordinator.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    area = Area.objects.filter(plan=demo_plan).first()
    area.name += " (změněno)"
    area.save()
    changed = coordinator.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_readers_see_only_what_they_may(demo_plan, django_user_model, public):
    url = f"{PLAN}stack-items/"
    item = StackItem.objects.filter(plan=demo_plan).first()
    everything = StackItem.objects.filter(plan=demo_plan).count()
    # The demo plan is published: the public reads it.
    assert len(_all_pages(public, url)[0]) == everything
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    assert public.get(url).json()["results"] == []
    assert public.get(f"{url}{item.pk}/").status_code == 404
    # A model permission without a role in the plan is the public's.
    reader = django_user_model.objects.create_user("ctenar-zasobniku")
    reader.user_permissions.add(Permission.objects.get(codename="view_stackitem"))
    client = APIClient()
    client.force_authenticate(reader)
    assert client.get(url).json()["results"] == []
    assert client.get(f"{url}{item.pk}/").status_code == 404
    # A data provider sees its sub-indicator, not the rest of an unpublished plan.
    sub = SubIndicator.objects.filter(plan=demo_plan).earliest("pk")
    plan_role_grant(plan=demo_plan, user=reader, role=PROVIDER, sub_indicators=[sub])
    client.force_authenticate(django_user_model.objects.get(pk=reader.pk))
    assert [row["id"] for row in _all_pages(client, f"{PLAN}sub-indicators/")[0]] == [sub.pk]
    assert client.get(url).json()["results"] == []
    assert client.get(f"{PLAN}activities/").json()["results"] == []
    # A guarantor sees the plan as the public sees a published one: every stack item.
    plan_role_grant(
        plan=demo_plan,
        user=reader,
        role=GUARANTOR,
        projects=[FlagshipProject.objects.filter(plan=demo_plan).earliest("pk")],
    )
    client.force_authenticate(django_user_model.objects.get(pk=reader.pk))
    assert len(_all_pages(client, url)[0]) == everything
    assert client.get(f"{url}{item.pk}/").status_code == 200


def test_contact_details_only_for_those_who_may_view_people(demo_plan, django_user_model):
    hidden = Person.objects.create(
        plan=demo_plan, name="Tajná Osoba", email="tajna@example.invalid", publish_contact=False
    )
    shown = Person.objects.create(
        plan=demo_plan, name="Veřejná Osoba", email="verejna@example.invalid", publish_contact=True
    )
    # People are not the public's (access/policy.py), even in a published plan and with
    # the model permissions to view the plan and people but no role in it.
    assert _all_pages(APIClient(), f"{PLAN}people/")[0] == []
    assert APIClient().get(f"{PLAN}people/{shown.pk}/").status_code == 404
    plan_reader = django_user_model.objects.create_user("ctenar-planu")
    plan_reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_plan", "view_person"])
    )
    client = APIClient()
    client.force_authenticate(plan_reader)
    assert _all_pages(client, f"{PLAN}people/")[0] == []
    assert client.get(f"{PLAN}people/{hidden.pk}/").status_code == 404
    # A guarantor (the least role that views people) sees them, contact details too.
    plan_role_grant(
        plan=demo_plan,
        user=plan_reader,
        role=GUARANTOR,
        projects=[FlagshipProject.objects.filter(plan=demo_plan).earliest("pk")],
    )
    client.force_authenticate(django_user_model.objects.get(pk=plan_reader.pk))
    rows = {row["id"]: row for row in _all_pages(client, f"{PLAN}people/")[0]}
    assert rows[hidden.pk]["name"] == "Tajná Osoba"
    assert rows[hidden.pk]["email"] == "tajna@example.invalid"
    assert rows[shown.pk]["email"] == "verejna@example.invalid"
    detail = client.get(f"{PLAN}people/{hidden.pk}/").json()
    assert (detail["name"], detail["email"]) == ("Tajná Osoba", "tajna@example.invalid")


def test_reports_link_their_stored_files(coordinator, demo_plan):
    report = Report.objects.create(
        plan=demo_plan, kind="annual", year=2021, approved_on=dt.date(2022, 3, 1)
    )
    ReportFile.objects.create(
        plan=demo_plan, report=report, format="html", content=b"<p>", sha256="a"
    )
    [row] = coordinator.get(f"{PLAN}reports/").json()["results"]
    [link] = row["files"]
    assert link["format"] == "html"
    download = coordinator.get(link["url"])
    assert download.status_code == 200
    assert download.content == b"<p>"
    assert coordinator.post(f"{PLAN}reports/", {}, format="json").status_code == 405


def test_deep_observation_pages_seek_through_the_index(coordinator, demo_plan):
    """The observations' keyset query is an index range seek, with no sort, on SQLite."""
    from smartplan.api import keyset
    from smartplan.observations.models import Observation, ObservationSeries

    series = ObservationSeries.objects.create(plan=demo_plan, code="energie", name="Energie")
    Observation.objects.bulk_create(
        Observation(
            plan=demo_plan,
            series=series,
            period_start=dt.date(2000, 1, 1) + dt.timedelta(days=n),
            period_end=dt.date(2000, 1, 1) + dt.timedelta(days=n),
            value=n,
        )
        for n in range(250)
    )
    rows, pages = _all_pages(coordinator, f"{PLAN}observations/", limit=100)
    assert pages == 3
    assert [row["period_start"] for row in rows] == sorted(row["period_start"] for row in rows)
    if connection.vendor == "sqlite":
        ordering = keyset.Ordering(("series_id", "period_start", "id"))
        page = keyset.after(
            Observation.objects.filter(plan=demo_plan),
            ordering,
            [series.pk, dt.date(2000, 3, 1), 1],
        ).order_by(*ordering.columns)[:101]
        plan = page.explain()
        assert "observation_api_order" in plan
        assert "TEMP B-TREE" not in plan


def test_a_plain_register_page_is_one_query(coordinator, demo_plan):
    """The plan is joined, not read first; no count; no query per row (session and user
    lookups of the login aside)."""
    url = f"{PLAN}stack-items/"
    coordinator.get(url)
    with CaptureQueriesContext(connection) as captured:
        first = coordinator.get(url, {"limit": 3}).json()
    rows_queries = [q for q in captured.captured_queries if "stack_stackitem" in q["sql"]]
    assert len(rows_queries) == 1
    # (The session's statement counts plans for the data's versions: core.data_versions.)
    own = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith('SELECT "session')
    ]
    assert "COUNT(" not in " ".join(own).upper()
    with CaptureQueriesContext(connection) as deeper:
        coordinator.get(first["next"])
    assert len(deeper) == len(captured)
