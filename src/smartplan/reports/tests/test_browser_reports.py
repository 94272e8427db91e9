"""A coordinator asks for the annual report's PDF and gets it when the worker is done."""

import re

import pytest
from pypdf import PdfReader

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.reports.report_jobs import report_job_run_next
from smartplan.reports.services import report_get_or_create

pytestmark = pytest.mark.browser


def test_pdf_is_made_in_the_background_and_downloads_itself(
    browser, live_server, transactional_db, django_user_model
):
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    report = report_get_or_create(plan=plan, kind="annual", year=2020)
    django_user_model.objects.create_superuser("koordinator", "k@example.invalid", "heslo-k1")
    page = browser.new_page(locale="cs-CZ", accept_downloads=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", "heslo-k1")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/reports/report/{report.pk}/change/")

    page.get_by_role("link", name="PDF", exact=True).click()
    page.wait_for_url(re.compile(r"/job/\d+/$"))
    assert "Čeká na zpracování." in page.inner_text("[role=status]")

    with page.expect_download(timeout=30_000) as download_info:
        assert report_job_run_next() is not None  # what the worker does
    download = download_info.value
    assert download.suggested_filename == "liberec-2020-annual-2020.pdf"
    first_page = PdfReader(download.path()).pages[0].extract_text()
    assert "VÝROČNÍ ZPRÁVA ZA ROK 2020" in first_page
    assert "Připraveno." in page.inner_text("[role=status]")
