"""The editing interface's lists stay small and cheap as the data grows: related filters list
a bounded number of rows (a search box finds the others), dates are filtered by year instead
of a date hierarchy that reads every row, and the number of queries does not grow."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartplan.access.services import plan_role_grant
from smartplan.core import admin_filters
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.organisations.models import Department, Organisation
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

STACK = "/admin/stack/stackitem/"
MEASUREMENTS = "/admin/indicators/measurement/"


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def _coordinator(plan, name="koordinator-kraje"):
    user = User.objects.create_user(name)
    plan_role_grant(plan=plan, user=user, role="coordinator")
    return _client(user)


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _guarantors(count, plan):
    office = Organisation.objects.create(plan=plan, name="Krajský úřad", short_name="KÚ")
    return [
        Department.objects.create(plan=plan, organisation=office, name=f"Odbor číslo {n:03d}")
        for n in range(count)
    ]


def test_a_related_filter_lists_a_bounded_number_and_finds_the_others(demo_plan, monkeypatch):
    monkeypatch.setattr(admin_filters, "CHOICES_SHOWN", 5)
    organisations = _guarantors(12, demo_plan)
    last = organisations[-1]
    item = StackItem.objects.filter(plan=demo_plan).first()
    item.guarantor = last
    item.save()
    client = _coordinator(demo_plan)
    page = client.get(STACK, {"plan__id__exact": demo_plan.pk}).content.decode()
    assert f"guarantor__id__exact={last.pk}" not in page
    assert 'name="guarantor__find"' in page
    assert "Zobrazeno prvních 5" in page

    found = client.get(
        STACK, {"plan__id__exact": demo_plan.pk, "guarantor__find": "číslo 011"}
    ).content.decode()
    assert f"guarantor__id__exact={last.pk}" in found
    assert "Odbor číslo 010" not in found
    # The search term keeps the other filters of the list.
    assert f'name="plan__id__exact" value="{demo_plan.pk}"' in found

    chosen = client.get(STACK, {"plan__id__exact": demo_plan.pk, "guarantor__id__exact": last.pk})
    assert list(chosen.context["cl"].result_list) == [item]
    # The chosen row is offered (selected) although it is not among the first five.
    assert f"guarantor__id__exact={last.pk}" in chosen.content.decode()


def test_a_coordinator_s_filters_offer_only_the_rows_of_their_plans(demo_plan):
    other = synthetic_plans_generate(plans=1, scale=1, seed=15, measurements_per_sub=0)[0].plan
    office = Organisation.objects.create(plan=other, name="Cizí kraj", short_name="CK")
    foreign = Department.objects.create(plan=other, organisation=office, name="Cizí úřad")
    page = _coordinator(demo_plan).get(STACK).content.decode()  # no plan chosen
    assert "Cizí úřad" not in page
    assert f"guarantor__id__exact={foreign.pk}" not in page
    assert other.name not in page  # the plan filter too


def test_measurements_are_filtered_by_year_without_a_date_hierarchy(demo_plan):
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    for date in (dt.date(2019, 12, 31), dt.date(2022, 6, 30), dt.date(2022, 9, 30)):
        Measurement.objects.create(plan=demo_plan, sub_indicator=sub, date=date, value=5)
    client = _coordinator(demo_plan)
    response = client.get(MEASUREMENTS)
    page = response.content.decode()
    assert response.context["cl"].date_hierarchy is None
    for year in (2019, 2020, 2021, 2022):  # the years between the first and the last value
        assert f"date_year={year}" in page
    assert "date_year=2018" not in page
    assert "date_year=2023" not in page

    in_year = client.get(MEASUREMENTS, {"date_year": 2022})
    assert sorted(m.date for m in in_year.context["cl"].queryset) == [
        dt.date(2022, 6, 30),
        dt.date(2022, 9, 30),
    ]


def test_the_year_filter_reads_only_the_chosen_plan(demo_plan):
    other = synthetic_plans_generate(plans=1, scale=1, seed=16, measurements_per_sub=1)[0].plan
    sub = SubIndicator.objects.filter(plan=other).first()
    Measurement.objects.create(plan=other, sub_indicator=sub, date=dt.date(1990, 6, 30), value=1)
    own = SubIndicator.objects.filter(plan=demo_plan).first()
    Measurement.objects.create(
        plan=demo_plan, sub_indicator=own, date=dt.date(2021, 3, 31), value=1
    )
    superuser = User.objects.create_superuser("spravce-let", "s@example.invalid", "x")
    client = _client(superuser)
    assert "date_year=1990" in client.get(MEASUREMENTS).content.decode()
    in_demo = client.get(MEASUREMENTS, {"plan__id__exact": demo_plan.pk}).content.decode()
    assert "date_year=1990" not in in_demo
    assert "date_year=2021" in in_demo


LANDING_PAGES = [
    "/admin/stack/stackitem/",
    "/admin/indicators/measurement/",
    "/admin/indicators/subindicator/",
    "/admin/indicators/indicator/",
    "/admin/projects/flagshipproject/",
    "/admin/projects/activityfulfilment/",
    "/admin/observations/observation/",
    "/admin/observations/observationseries/",
    "/admin/opendata/feedback/",
    "/admin/resources/resource/",
    "/admin/organisations/person/",
    "/admin/monitoring/subindicatorstate/",
]


@pytest.mark.parametrize("url", LANDING_PAGES)
def test_a_list_s_queries_and_size_do_not_grow_with_the_rows(demo_plan, url, monkeypatch):
    """The list a coordinator lands on (no plan chosen) asks as often and stays as small when
    their plan grows fourfold and thousands of filter choices are added."""
    monkeypatch.setattr(admin_filters, "CHOICES_SHOWN", 10)
    client = _coordinator(demo_plan)
    before = _queries(client, url)
    _guarantors(40, demo_plan)
    for plan in synthetic_plans_generate(plans=1, scale=4, seed=17, measurements_per_sub=3):
        user = User.objects.get(username="koordinator-kraje")
        plan_role_grant(plan=plan.plan, user=user, role="coordinator")
    after = _queries(client, url)
    assert after == before, (before, after)


def test_every_list_of_the_interface_opens_for_a_coordinator(demo_plan):
    client = _coordinator(demo_plan)
    for model, model_admin in admin.site._registry.items():
        if not type(model_admin).__module__.startswith("smartplan."):
            continue
        meta = model._meta
        response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert response.status_code in (200, 403), (meta.label, response.status_code)


def test_a_long_list_counts_up_to_a_cap_and_offers_no_select_all(demo_plan, monkeypatch):
    monkeypatch.setattr(admin_filters, "COUNT_CAP", 20)
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    for day in range(1, 26):
        Measurement.objects.create(
            plan=demo_plan, sub_indicator=sub, date=dt.date(2021, 1, day), value=day
        )
    client = _coordinator(demo_plan)
    page = client.get(MEASUREMENTS, {"plan__id__exact": demo_plan.pk}).content.decode()
    assert "více než 20 (měření)" in page
    assert "Vybrat všech" not in page
    # Narrowed below the cap, the count is exact again and all can be selected.
    monkeypatch.setattr(admin_filters, "COUNT_CAP", 100)
    cache.clear()  # the cap is the deployment's constant: pages kept with the old one stay
    exact = client.get(MEASUREMENTS, {"plan__id__exact": demo_plan.pk}).content.decode()
    assert "25 měření" in exact
    assert "více než" not in exact


def test_the_first_page_of_values_is_not_sorted_through_related_tables(demo_plan):
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    for month in (3, 6, 9):
        Measurement.objects.create(
            plan=demo_plan, sub_indicator=sub, date=dt.date(2021, month, 30), value=month
        )
    client = _coordinator(demo_plan)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(MEASUREMENTS).status_code == 200
    listed = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "indicators_measurement"."id"') and "ORDER BY" in q["sql"]
    ]
    assert listed, "the page's rows were not read"
    for sql in listed:
        order = sql.rsplit("ORDER BY", 1)[1]
        assert "plans_plan" not in order, order
        assert "indicators_indicator" not in order, order


def test_the_project_list_sums_each_project_s_spending_and_sorts_by_it(demo_plan):
    activity = Activity.objects.filter(plan=demo_plan).order_by("project__number").first()
    project = activity.project
    ActivityFulfilment.objects.filter(activity__project=project).delete()
    ActivityFulfilment.objects.create(plan=demo_plan, activity=activity, year=2021, spent=1250)
    ActivityFulfilment.objects.create(plan=demo_plan, activity=activity, year=2022, spent=250000)
    client = _coordinator(demo_plan)
    response = client.get(
        "/admin/projects/flagshipproject/", {"plan__id__exact": demo_plan.pk, "o": "-8"}
    )
    listed = {row.pk: row._spent for row in response.context["cl"].result_list}
    assert listed[project.pk] == 251250
    spent = [value or 0 for value in listed.values()]
    assert spent == sorted(spent, reverse=True)
    assert "251\xa0250\xa0Kč" in response.content.decode()
