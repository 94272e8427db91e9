"""The register pages carry the portal's HTTP validators and answer conditional GETs with 304;
the reports archive's validator moves when a report is approved."""

import datetime as dt

import pytest
from django.urls import reverse

from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.reports.models import Report

PAGES = [
    ("portal:projects", ()),
    ("portal:project", ("1",)),
    ("portal:stack", ()),
    ("portal:resources", ()),
    ("portal:steering_group", ()),
    ("portal:reports", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_page_sends_validators_and_answers_304(client, demo_plan, name, args):
    url = reverse(name, args=[demo_plan.slug, *args])
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_filter_is_its_own_page(client, demo_plan):
    url = reverse("portal:stack", args=[demo_plan.slug])
    whole = client.get(url)
    filtered = client.get(url, {"status": "2"})
    assert whole["ETag"] != filtered["ETag"]


def test_approving_a_report_changes_the_archive(client, demo_plan):
    url = reverse("portal:reports", args=[demo_plan.slug])
    before = client.get(url)["ETag"]
    Report.objects.create(
        plan=demo_plan,
        kind=Report.Kind.ANNUAL,
        year=2019,
        approved_by="Rada kraje",
        approved_on=dt.date(2020, 3, 1),
    )
    after = client.get(url)
    assert after["ETag"] != before
    assert "Výroční zpráva za rok 2019" in after.content.decode()
