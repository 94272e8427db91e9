"""A whole register in one file (``…/<register>/download/csv|json/``): the rows and fields
the list pages give, streamed, for exactly the readers who may see them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.api.registers import REGISTERS
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/plans/liberec-2020/"


def _pages(client, url, **params):
    rows, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        if body["next"] is None:
            return rows
        response = client.get(body["next"])


def _body(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")
    assert response.streaming
    return b"".join(response.streaming_content)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.path)
def test_the_download_holds_what_the_pages_hold(coordinator, demo_plan, register):
    url = f"{PLAN}{register.path}/"
    paged = _pages(coordinator, url, limit=7)
    as_json = coordinator.get(f"{url}download/json/")
    assert as_json["Content-Type"] == "application/json"
    assert "attachment" in as_json["Content-Disposition"]
    assert json.loads(_body(as_json)) == paged  # same rows, fields and order
    table = _csv_rows(_body(coordinator.get(f"{url}download/csv/")))
    assert [int(row["id"]) for row in table] == [row["id"] for row in paged]
    if paged:
        assert list(table[0]) == list(paged[0])  # the header is the API's field names
        for row, page_row in zip(table, paged, strict=True):
            assert row["version"] == str(page_row["version"])


def test_csv_cells_are_plain_values_and_formula_text_is_defused(coordinator, demo_plan):
    item = StackItem.objects.filter(plan=demo_plan).earliest("number")
    StackItem.objects.filter(pk=item.pk).update(name='=HYPERLINK("http://x","klik")')
    data = _body(coordinator.get(f"{PLAN}stack-items/download/csv/"))
    table = {row["id"]: row for row in _csv_rows(data)}
    assert table[str(item.pk)]["name"] == '\'=HYPERLINK("http://x","klik")'
    paged = {row["id"]: row for row in _pages(coordinator, f"{PLAN}stack-items/")}
    for key, row in table.items():
        for name, value in paged[int(key)].items():
            if value is None:
                assert row[name] == ""
            elif isinstance(value, bool):
                assert row[name] == ("true" if value else "false")
            elif isinstance(value, int | float):
                assert row[name] == str(value)
    # A negative number is a number (the API writes decimals as text), not a formula.
    sub = SubIndicator.objects.filter(plan=demo_plan).earliest("pk")
    Measurement.objects.create(
        plan=demo_plan, sub_indicator=sub, date="2021-06-30", value="-2.5", note="-pokles"
    )
    [measured] = _csv_rows(_body(coordinator.get(f"{PLAN}measurements/download/csv/")))
    assert measured["value"].startswith("-2.5")
    assert measured["note"] == "'-pokles"
    assert measured["sub_indicator"] == sub.code
    # The JSON keeps the text as it is.
    rows = json.loads(_body(coordinator.get(f"{PLAN}stack-items/download/json/")))
    assert {row["id"]: row["name"] for row in rows}[item.pk] == '=HYPERLINK("http://x","klik")'


def test_the_lists_filters_apply(coordinator, demo_plan):
    status = StackItem.objects.filter(plan=demo_plan).values_list("status", flat=True).first()
    url = f"{PLAN}stack-items/"
    wanted = [row["id"] for row in _pages(coordinator, url, status=status)]
    assert 0 < len(wanted) < StackItem.objects.filter(plan=demo_plan).count()
    rows = json.loads(_body(coordinator.get(f"{url}download/json/", {"status": status})))
    assert [row["id"] for row in rows] == wanted


def test_readers_get_only_their_rows(demo_plan, django_user_model):
    public = APIClient()
    everything = StackItem.objects.filter(plan=demo_plan).count()
    assert len(json.loads(_body(public.get(f"{PLAN}stack-items/download/json/")))) == everything
    # People are not the public's, even in a published plan: an empty file, not a leak.
    assert json.loads(_body(public.get(f"{PLAN}people/download/json/"))) == []
    empty = _body(public.get(f"{PLAN}people/download/csv/")).decode()
    assert empty.splitlines()[0].startswith("id,version,")
    assert len(empty.splitlines()) == 1
    # An unpublished plan gives the public nothing.
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    assert json.loads(_body(public.get(f"{PLAN}stack-items/download/json/"))) == []
    # A data provider gets its own sub-indicator's measurements and nothing else.
    sub = SubIndicator.objects.filter(plan=demo_plan).earliest("pk")
    other = SubIndicator.objects.filter(plan=demo_plan).exclude(pk=sub.pk).earliest("pk")
    for target, day in ((sub, "2021-01-01"), (other, "2021-01-01")):
        Measurement.objects.create(plan=demo_plan, sub_indicator=target, date=day, value=1)
    provider = django_user_model.objects.create_user("poskytovatel-stahuje")
    plan_role_grant(plan=demo_plan, user=provider, role=PROVIDER, sub_indicators=[sub])
    client = APIClient()
    client.force_authenticate(django_user_model.objects.get(pk=provider.pk))
    rows = json.loads(_body(client.get(f"{PLAN}measurements/download/json/")))
    assert [row["sub_indicator"] for row in rows] == [sub.code]
    assert json.loads(_body(client.get(f"{PLAN}stack-items/download/json/"))) == []


def test_unknown_plan_or_format_is_404(coordinator, demo_plan):
    assert coordinator.get("/api/v1/plans/neni-takovy/stack-items/download/csv/").status_code == (
        404
    )
    assert coordinator.get(f"{PLAN}stack-items/download/xml/").status_code == 404


def test_the_download_costs_the_same_queries_whatever_the_rows(coordinator, demo_plan):
    url = f"{PLAN}measurements/download/csv/"
    sub = SubIndicator.objects.filter(plan=demo_plan).earliest("pk")

    def measured() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            lines = _body(coordinator.get(url)).count(b"\n")
        return len(captured), lines

    few_queries, few_lines = measured()
    Measurement.objects.bulk_create(
        Measurement(
            plan=demo_plan, sub_indicator=sub, date=f"{2000 + n // 12}-{n % 12 + 1:02}-01", value=n
        )
        for n in range(1500)
    )
    many_queries, many_lines = measured()
    assert many_lines == few_lines + 1500
    assert many_queries == few_queries
