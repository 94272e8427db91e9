"""The overview and the indicator pages in a real browser: axe finds nothing at 1366 and 360
px, with a drawn chart (values measured) and without one ("no data"); the chart's text
alternative and its data table are there for a screen reader."""

import datetime as dt
from decimal import Decimal

import pytest

from smartplan.demo.services import DEMO_SLUG
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.portal import paging
from smartplan.portal.tests.axe import axe_assert_clean, axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        f"/{DEMO_SLUG}/",
        f"/{DEMO_SLUG}/?rok=2021",
        f"/{DEMO_SLUG}/indikatory/",
        f"/{DEMO_SLUG}/indikatory/8/",
        f"/en/{DEMO_SLUG}/indikatory/8/",
    ],
)
def test_overview_and_indicator_pages_have_no_axe_violations(
    browser, live_server, transactional_db, path
):
    axe_check(browser, f"{live_server.url}{path}")


def test_an_indicator_with_values_has_an_accessible_chart(browser, live_server, transactional_db):
    sub = SubIndicator.objects.get(plan__slug=DEMO_SLUG, code="8.1")
    for day, value in ((dt.date(2020, 12, 31), 1), (dt.date(2021, 12, 31), 3)):
        Measurement.objects.create(
            plan_id=sub.plan_id, sub_indicator=sub, date=day, value=Decimal(value)
        )
    page = axe_check(browser, f"{live_server.url}/{DEMO_SLUG}/indikatory/8/")
    chart = page.locator("svg[role=img]")
    assert chart.count() == 1
    assert chart.get_attribute("aria-labelledby") == f"graf-{sub.pk}-title graf-{sub.pk}-desc"
    assert "2 naměřené hodnoty od 31. 12. 2020" in page.locator("svg desc").text_content()
    table = page.locator("table", has=page.locator("caption", has_text="Data grafu"))
    assert table.locator("tbody tr").count() == 4  # baseline, two values, target
    page.screenshot(path="/tmp/portal-indicator-360.png", full_page=True)
    wide = axe_check(browser, f"{live_server.url}/{DEMO_SLUG}/", widths=(1366,))
    wide.screenshot(path="/tmp/portal-overview-1366.png", full_page=True)
    wide.goto(f"{live_server.url}/{DEMO_SLUG}/indikatory/8/")
    wide.screenshot(path="/tmp/portal-indicator-1366.png", full_page=True)


def test_the_chosen_year_stays_when_the_visitor_clicks_on(
    browser, live_server, transactional_db, monkeypatch
):
    """Click a year on the overview, the link to the rest of the projects, the next page and
    the plan's navigation back: the same year is shown on each, and the pages stay clean."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 4)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="cs-CZ")
    page.goto(f"{live_server.url}/{DEMO_SLUG}/")
    years = page.get_by_role("navigation", name="Rok výdajů")
    years.get_by_role("link", name="2021").click()
    page.wait_for_url(f"**/{DEMO_SLUG}/?rok=2021")
    page.locator('tr[data-project="more"] a').click()
    page.wait_for_url(f"**/{DEMO_SLUG}/projekty/?rok=2021&strana=2")
    assert "Vynaloženo v roce 2021" in page.inner_text("table.register thead")
    page.get_by_role("navigation", name="Stránky").get_by_role("link", name="Další stránka").click()
    page.wait_for_url("**/projekty/?rok=2021&strana=3")
    assert years.locator('[aria-current="page"]').inner_text() == "2021"
    axe_assert_clean(page, label="the project list of 2021, page 3")
    page.get_by_role("navigation", name="Části plánu").get_by_role("link", name="Přehled").click()
    page.wait_for_url(f"**/{DEMO_SLUG}/?rok=2021")
    assert years.locator('[aria-current="page"]').inner_text() == "2021"
