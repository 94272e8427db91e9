"""The paged lists in a real browser: axe finds nothing on a middle page (navigation with the
current page, previous and next), and the next page is reached with the keyboard alone."""

import pytest

from smartplan.demo.services import DEMO_SLUG
from smartplan.governance.models import Meeting
from smartplan.plans.models import Plan
from smartplan.portal import governance_views, paging
from smartplan.portal.tests.axe import axe_assert_clean, axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of four rows (one meeting), so the demo plan's lists (and its steering group's
    seven members) have several pages."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 4)
    monkeypatch.setattr(governance_views, "MEETINGS_PER_PAGE", 1)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "projekty/?strana=2",
        "projekty/?rok=2021&strana=2",
        "indikatory/?strana=2",
        "zasobnik/?sort=-finance&strana=3",
        "ridici-skupina/?clenove=2",
    ],
)
def test_paged_lists_have_no_axe_violations(
    browser, live_server, transactional_db, small_pages, path
):
    axe_check(browser, f"{live_server.url}/{DEMO_SLUG}/{path}")


def test_the_next_page_with_the_keyboard(browser, live_server, transactional_db, small_pages):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="cs-CZ")
    page.goto(f"{live_server.url}/en/{DEMO_SLUG}/indikatory/")
    assert page.title().startswith("Indicators – page 1 of ")
    following = page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next page")
    following.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/*/indikatory/?strana=2")
    assert page.title().startswith("Indicators – page 2 of ")
    current = page.locator('nav.pagination [aria-current="page"]')
    assert current.inner_text() == "2"
    axe_assert_clean(page, label="the second page of the English indicator list")


def test_the_members_and_the_meetings_page_on_their_own(
    browser, live_server, transactional_db, small_pages
):
    """With both lists paged, two named navigations; the members' next page keeps the
    meetings' page and lands on the members."""
    plan = Plan.objects.get(slug=DEMO_SLUG)
    Meeting.objects.create(plan=plan, title="Druhé jednání", date="2023-03-01")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="cs-CZ")
    page.goto(f"{live_server.url}/{DEMO_SLUG}/ridici-skupina/?strana=2")
    members = page.get_by_role("navigation", name="Stránky členů")
    meetings = page.get_by_role("navigation", name="Stránky jednání")
    assert members.count() == 1
    assert meetings.count() == 1
    members.get_by_role("link", name="Další stránka").click()
    page.wait_for_url("**/ridici-skupina/?strana=2&clenove=2#clenove")
    assert page.locator("tr[data-member]").count() == 3  # seven members, four a page
    assert page.locator("article.meeting").count() == 1
    assert page.title().startswith("Řídící skupina – členové, strana 2 z 2 – jednání, strana 2 z ")
    axe_assert_clean(page, label="the steering group, second page of members and meetings")
