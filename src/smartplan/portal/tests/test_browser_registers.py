"""The register pages in a real browser: axe finds nothing at 1366 and 360 px on the project
list and card, the stack (whole, filtered, empty, with a form error), the resources, the
steering group and the reports archive; the stack's form works with the keyboard."""

import datetime as dt
import hashlib

import pytest

from smartplan.demo.services import DEMO_SLUG
from smartplan.plans.models import Area, Plan
from smartplan.portal.tests.axe import axe_assert_clean, axe_check
from smartplan.reports.models import Report, ReportFile
from smartplan.resources.models import Resource

pytestmark = pytest.mark.browser


@pytest.fixture
def registers(transactional_db):
    """A resource and an approved report beside the demo plan's registers."""
    plan = Plan.objects.get(slug=DEMO_SLUG)
    Resource.objects.create(
        plan=plan,
        title="Chytré řízení dopravy",
        url="https://example.org/doprava",
        area=Area.objects.filter(plan=plan).order_by("order").first(),
        description="Příklad dobré praxe",
        added_on=dt.date(2021, 3, 1),
    )
    report = Report.objects.create(
        plan=plan,
        kind=Report.Kind.ANNUAL,
        year=2020,
        approved_by="Rada kraje",
        approved_on=dt.date(2021, 3, 1),
    )
    for fmt, content in (("pdf", b"%PDF-1.7 test"), ("docx", b"PK docx test")):
        ReportFile.objects.create(
            plan=plan,
            report=report,
            format=fmt,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )
    return plan


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("projekty/", 200),
        ("projekty/1/", 200),
        ("zasobnik/", 200),
        ("zasobnik/?status=2&sort=-finance", 200),
        ("zasobnik/?q=rizeni", 200),
        ("zasobnik/?q=zzzzneexistuje", 200),
        ("zasobnik/?status=9", 400),
        ("zdroje/", 200),
        ("zdroje/?area=x", 400),
        ("ridici-skupina/", 200),
        ("zpravy/", 200),
    ],
)
def test_register_pages_have_no_axe_violations(browser, live_server, registers, path, status):
    axe_check(browser, f"{live_server.url}/{DEMO_SLUG}/{path}", status=status)


def test_english_stack_has_no_axe_violations(browser, live_server, registers):
    axe_check(browser, f"{live_server.url}/en/{DEMO_SLUG}/zasobnik/?status=2", widths=(360,))


def test_stack_filter_with_the_keyboard_and_the_error_summary(browser, live_server, registers):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="cs-CZ")
    page.goto(f"{live_server.url}/{DEMO_SLUG}/zasobnik/")
    page.locator("#id_q").fill("řízení")
    page.locator("#id_status").select_option("2")
    page.locator("#id_q").press("Enter")
    page.wait_for_url("**/zasobnik/?*")
    assert "q=%C5%99%C3%ADzen%C3%AD" in page.url
    assert page.locator("#id_status").input_value() == "2"
    axe_assert_clean(page, label="the stack filtered from its form")
    # An address with a bad value: the summary names the field and links to it.
    page.goto(f"{live_server.url}/{DEMO_SLUG}/zasobnik/?status=7")
    summary = page.get_by_role("alert")
    assert "Neznámý stav „7“" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_status"


def test_stack_screenshots(browser, live_server, registers):
    """The stack at a desktop and a phone width (saved to /tmp for a look); the page must not
    scroll sideways on a phone: wide tables scroll inside their own box."""
    for width in (1366, 360):
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="cs-CZ")
        page.goto(f"{live_server.url}/{DEMO_SLUG}/zasobnik/")
        page.screenshot(path=f"/tmp/portal-stack-{width}.png", full_page=width == 360)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the stack scrolls sideways by {overflow} px at {width} px"
