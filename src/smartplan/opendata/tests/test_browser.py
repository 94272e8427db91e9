"""The open data pages in Debian's Chromium: axe finds nothing on the plan's open data page,
a dataset page, the form showing its errors and the thanks after sending."""

from __future__ import annotations

from typing import Any

import pytest

from smartplan.opendata.models import Feedback
from smartplan.portal.tests.axe import axe_assert_clean, axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/liberec-2020/otevrena-data/",
        "/liberec-2020/otevrena-data/projekty/",
        "/en/liberec-2020/otevrena-data/mereni/",
    ],
)
def test_open_data_pages_have_no_axe_violations(
    browser: Any, live_server: Any, transactional_db: None, path: str
) -> None:
    page = axe_check(browser, f"{live_server.url}{path}")
    # The last check was at 360 px: nothing wider than the phone (wide tables scroll inside).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("width", [1366, 360])
def test_the_feedback_form_with_errors_and_after_sending(
    browser: Any, live_server: Any, transactional_db: None, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="cs-CZ")
    page.goto(f"{live_server.url}/liberec-2020/otevrena-data/zdroje/")
    page.fill("#id_email", "neni-adresa")
    page.click("button[type=submit]")
    page.wait_for_selector("#chyby")
    assert page.locator("#id_message").get_attribute("aria-invalid") == "true"
    assert "Toto pole je vyžadováno." in page.inner_text("#chyby")
    axe_assert_clean(page, label=f"the form with errors at {width} px")
    # The error summary links to the field, which the keyboard reaches.
    page.click("#chyby a >> nth=0")
    page.keyboard.type("Odkaz u zdroje nefunguje.")
    page.fill("#id_email", "")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    axe_assert_clean(page, label=f"the thanks at {width} px")
    assert Feedback.objects.filter(dataset="zdroje").count() == 1
