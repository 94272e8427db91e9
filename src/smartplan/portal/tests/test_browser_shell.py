"""The portal's frame in a real browser: axe finds nothing at 1366 and 360 px, the skip link
is the first stop of the keyboard and moves focus to the content, the language switcher
leads to the same page in the other language."""

import pytest

from smartplan.demo.services import DEMO_SLUG
from smartplan.portal.tests.axe import axe_assert_clean, axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/en/", 200),
        (f"/{DEMO_SLUG}/", 200),
        (f"/en/{DEMO_SLUG}/", 200),
        ("/pristupnost/", 200),
        ("/en/pristupnost/", 200),
        ("/tahle-stranka-neni/", 404),
        ("/en/no-such-plan/projekty/", 404),
    ],
)
def test_pages_of_the_frame_have_no_axe_violations(
    browser, live_server, transactional_db, path, status
):
    axe_check(browser, f"{live_server.url}{path}", status=status)


def test_the_plan_switcher_has_no_axe_violations_when_open(
    browser, live_server, transactional_db, other_plan
):
    other_plan.published = True
    other_plan.save()
    for width in (1366, 360):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{live_server.url}/{DEMO_SLUG}/")
        page.locator(".sp-switcher summary").click()
        link = page.get_by_role("link", name=other_plan.name)
        assert link.is_visible()
        axe_assert_clean(page, label=f"the open plan switcher at {width} px")
    link.click()
    page.wait_for_url(f"{live_server.url}/{other_plan.slug}/")


@pytest.mark.parametrize("width", [1366, 360])
def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    browser, live_server, transactional_db, width
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/{DEMO_SLUG}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "sp-skip-link"
    box = page.locator(".sp-skip-link").bounding_box()
    assert box["y"] >= 0, "the focused skip link is on screen"
    assert page.locator(".sp-skip-link").is_visible()
    axe_assert_clean(page, label=f"the focused skip link at {width} px")  # its contrast too
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "obsah"
    # The next Tab continues inside the content, not at the top of the page.
    page.keyboard.press("Tab")
    inside = page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    footer = page.evaluate(
        "() => document.querySelector('footer').contains(document.activeElement)"
    )
    assert inside or footer


def test_focus_is_visible(browser, live_server, transactional_db):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/{DEMO_SLUG}/")
    for _ in range(3):
        page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] == "solid"
    assert outline[1] == "3px"


def test_the_language_switcher_works(browser, live_server, transactional_db):
    page = browser.new_page(viewport={"width": 360, "height": 900}, locale="cs-CZ")
    page.goto(f"{live_server.url}/{DEMO_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "cs"
    assert page.get_by_role("link", name="Přehled").get_attribute("aria-current") == "page"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/{DEMO_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Overview").get_attribute("aria-current") == "page"
    assert page.get_by_role("link", name="Skip to content").count() == 1
    page.get_by_role("link", name="Čeština").click()
    page.wait_for_url(f"{live_server.url}/{DEMO_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "cs"


def test_no_horizontal_scrolling_at_360_px(browser, live_server, transactional_db):
    for path in ("/", f"/{DEMO_SLUG}/", "/pristupnost/", "/nic/"):
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"


def test_the_axe_helper_reports_violations_readably(browser):
    page = browser.new_page()
    page.set_content("<html><body><main><img src='x.png'><a href='/'></a></main></body></html>")
    with pytest.raises(AssertionError) as failure:
        axe_assert_clean(page, label="a broken page")
    message = str(failure.value)
    assert "violation(s) on a broken page" in message
    assert "image-alt (critical)" in message
    assert "html-has-lang" in message
    assert "    img" in message  # the offending element's selector


def test_the_frame_loads_under_the_content_security_policy(browser, live_server, transactional_db):
    """Stylesheets and fonts come from this server and nothing is blocked or missing."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status}: {response.url}")
        ),
    )
    page.goto(f"{live_server.url}/{DEMO_SLUG}/")
    page.wait_for_load_state("networkidle")
    assert problems == []
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert font.startswith("Roboto")
    assert page.evaluate("() => document.fonts.check('16px Roboto')")
    loaded = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').length")
    assert loaded >= 1
