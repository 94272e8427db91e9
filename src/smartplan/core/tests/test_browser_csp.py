"""The Content Security Policy blocks nothing the pages need, in a real browser.

Chromium reports every blocked script, style, image or worker as a console error; the
pages below (login, the editing interface with nested inlines and the date widget,
Moje indikátory, the dashboard) must produce none, and still work."""

import re

import pytest

from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.indicators.models import SubIndicator
from smartplan.organisations.models import Person
from smartplan.projects.models import FlagshipProject

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(transactional_db):
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    return plan


def _watched(browser):
    """A page that records console errors (a blocked resource is one) and uncaught
    exceptions; the browser's own request for /favicon.ico (none is served) aside."""
    page = browser.new_page(locale="cs-CZ")
    page.errors = []

    def console(message):
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            page.errors.append(f"{message.text} ({url})")

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def _proves_the_watch_sees_violations(page):
    """An inline handler, as an injected attack would add one, is refused and reported."""
    page.evaluate(
        "() => document.body.insertAdjacentHTML("
        "'beforeend', '<img src=\"/static/none.png\" onerror=\"window.hit = 1\">')"
    )
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.hit") is None
    assert any("Content Security Policy" in error for error in page.errors), page.errors


def _login(page, url, username, password):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("[type=submit]").last.click()
    page.wait_for_load_state()


def test_the_editing_interface_works_under_the_policy(
    browser, live_server, plan, django_user_model
):
    django_user_model.objects.create_superuser("koordinator", "k@example.invalid", "heslo-koord-1")
    page = _watched(browser)
    _login(page, f"{live_server.url}/admin/login/", "koordinator", "heslo-koord-1")
    assert page.url == f"{live_server.url}/admin/"

    project = FlagshipProject.objects.filter(plan=plan).first()
    page.goto(f"{live_server.url}/admin/projects/flagshipproject/{project.pk}/change/")
    reports = page.locator("[name^='status_reports'][name$='-id']:not([name*='__prefix__'])")
    before = reports.count()
    # Add a row to an inline: nested_admin's script builds it.
    page.locator(".djn-add-item a").first.click()
    assert page.locator(".djn-item:not(.djn-empty-form)").count() > 0
    assert reports.count() >= before

    sub = SubIndicator.objects.filter(plan=plan).first()
    page.goto(f"{live_server.url}/admin/indicators/subindicator/{sub.pk}/change/")
    page.locator("#id_target_date").locator("xpath=..").locator(".date-icon").first.click()
    calendar = page.locator(".calendarbox:visible")
    assert calendar.count() == 1, page.errors
    calendar.locator(".calendar td a").first.click()
    assert re.fullmatch(r"\d{1,2}\. \d{1,2}\. \d{4}", page.input_value("#id_target_date"))

    page.goto(f"{live_server.url}/admin/dvoufazove-prihlaseni/")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    assert page.evaluate("() => document.querySelector(\"img[src^='data:']\").naturalWidth") > 0
    page.goto(f"{live_server.url}/monitoring/plan/{plan.slug}/")
    assert page.locator("h1").count()
    assert page.errors == []
    _proves_the_watch_sees_violations(page)


def test_moje_indikatory_and_the_login_page_work_under_the_policy(
    browser, live_server, plan, django_user_model
):
    user = django_user_model.objects.create_user("tvrznik", "t@example.invalid", "heslo-tvrznika-1")
    Person.objects.filter(plan=plan, name="Pavel Tvrzník").update(user=user)
    # Entering values is a data provider's (roles are the only door, access/policy.py).
    plan_role_grant(
        plan=plan,
        user=user,
        role=PROVIDER,
        sub_indicators=SubIndicator.objects.filter(plan=plan, code="8.1"),
    )
    page = _watched(browser)
    _login(page, f"{live_server.url}/prihlaseni/", "tvrznik", "heslo-tvrznika-1")
    page.goto(f"{live_server.url}/monitoring/moje/")
    row = page.get_by_role("row").filter(has_text="8.1 Počet otevřených datových sad")
    row.get_by_role("link", name="Zadat hodnotu").click()
    page.fill("#id_date", "30. 6. 2021")
    page.fill("#id_value", "3,0")
    page.get_by_role("button", name="Uložit").click()
    assert "Hodnota byla uložena" in page.inner_text("[role=status]")
    assert page.errors == []


def test_the_api_documentation_page_renders_under_the_policy(browser, live_server, plan):
    page = _watched(browser)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.get_by_text("measurements", exact=False).first.wait_for(timeout=30000)
    assert "Something went wrong" not in page.content()
    # Redoc's "powered by" logo points at its CDN: the policy keeps the page from fetching it.
    cdn = "Loading the image 'https://cdn.redoc.ly/"
    assert [error for error in page.errors if not error.startswith(cdn)] == []
    _proves_the_watch_sees_violations(page)
