"""The public reports archive: approved reports only, their stored bytes and hash."""

import base64
import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.reports.models import Report, ReportFile


def _store(report, fmt, content):
    return ReportFile.objects.create(
        plan=report.plan,
        report=report,
        format=fmt,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )


@pytest.fixture
def approved(demo_plan):
    report = Report.objects.create(
        plan=demo_plan,
        kind=Report.Kind.ANNUAL,
        year=2019,
        approved_by="Rada kraje",
        approved_on=dt.date(2020, 3, 1),
    )
    _store(report, "pdf", b"%PDF-1.7 schvalena zprava \x00\xff")
    _store(report, "docx", b"PK\x03\x04 docx bytes")
    _store(report, "html", b"<p>jen pro redakci</p>")
    return report


@pytest.fixture
def draft(demo_plan):
    report = Report.objects.create(plan=demo_plan, kind=Report.Kind.ANNUAL, year=2018)
    # A stray stored file of a draft must never be served.
    _store(report, "pdf", b"%PDF koncept")
    return report


def test_archive_lists_approved_reports_with_their_hashes(client, demo_plan, approved, draft):
    html = client.get(reverse("portal:reports", args=[demo_plan.slug])).content.decode()
    assert "Výroční zpráva za rok 2019" in html
    assert "2018" not in html
    for stored in approved.files.filter(format__in=["pdf", "docx"]):
        assert stored.sha256 in html
        assert (
            reverse("portal:report_file", args=[demo_plan.slug, approved.pk, stored.format]) in html
        )
    assert approved.files.get(format="html").sha256 not in html


def test_download_serves_the_approved_bytes(client, demo_plan, approved):
    stored = approved.files.get(format="pdf")
    response = client.get(reverse("portal:report_file", args=[demo_plan.slug, approved.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content == bytes(stored.content)
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{stored.sha256}"'
    digest = base64.b64encode(bytes.fromhex(stored.sha256)).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    assert "attachment" in response["Content-Disposition"]
    again = client.get(
        reverse("portal:report_file", args=[demo_plan.slug, approved.pk, "pdf"]),
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_drafts_other_formats_and_private_plans_are_not_served(
    client, demo_plan, approved, draft, other_plan
):
    url = reverse("portal:report_file", args=[demo_plan.slug, draft.pk, "pdf"])
    assert client.get(url).status_code == 404
    url = reverse("portal:report_file", args=[demo_plan.slug, approved.pk, "html"])
    assert client.get(url).status_code == 404
    other_plan.published = True
    other_plan.save(update_fields=["published"])
    url = reverse("portal:report_file", args=[other_plan.slug, approved.pk, "pdf"])
    assert client.get(url).status_code == 404  # the report belongs to another plan
    demo_plan.published = False
    demo_plan.save(update_fields=["published"])
    url = reverse("portal:report_file", args=[demo_plan.slug, approved.pk, "pdf"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:reports", args=[demo_plan.slug])).status_code == 404
