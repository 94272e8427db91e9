"""The check step of approving a report: only a draft, and someone must approve it."""

import datetime as dt

import pytest

from smartplan.reports.approval import report_approve_check
from smartplan.reports.services import report_get_or_create

pytestmark = pytest.mark.django_db


def test_only_a_draft_can_be_approved_by_someone_named(demo_plan):
    report = report_get_or_create(plan=demo_plan, kind="annual", year=2020)
    assert report_approve_check(report=report, approved_by="Rada kraje") == []
    [nobody] = report_approve_check(report=report, approved_by="  ")
    assert (nobody.field, nobody.message) == ("approved_by", "Uveďte, kdo zprávu schválil.")
    report.approved_on, report.approved_by = dt.date(2021, 3, 16), "Rada kraje"
    report.save()
    [frozen] = report_approve_check(report=report, approved_by="Rada kraje")
    assert frozen.message == "Zpráva už je schválena a zmrazena."
