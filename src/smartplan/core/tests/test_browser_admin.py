"""A coordinator edits the demo plan in a real browser (Debian's Chromium via Playwright)."""

from decimal import Decimal

import pytest

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.browser


@pytest.fixture
def page(admin_page):
    """The coordinator's page, the demo plan loaded."""
    plan_fixture_load(folder=DEMO_FIXTURE)
    return admin_page


def test_filter_the_stack_by_status(page):
    page.goto(f"{page.base}/admin/stack/stackitem/")
    page.get_by_role("link", name="Běžící, nepotřebují rozpracování").click()
    assert "15 výsledků" in page.inner_text("#changelist-search")
    assert "Rekonstrukce objektu D" in page.inner_text("#result_list")
    assert "Meteohlášky" not in page.inner_text("#result_list")


def test_edit_a_stack_item_in_czech_number_format(page):
    item = StackItem.objects.get(number=46)
    page.goto(f"{page.base}/admin/stack/stackitem/{item.pk}/change/")
    assert page.input_value("#id_finance_mil") == "1,350"
    page.fill("#id_finance_mil", "1,5")
    page.click("input[name=_save]")
    assert "byla úspěšně změněna" in page.inner_text(".messagelist")
    item.refresh_from_db()
    assert item.finance_mil == Decimal("1.5")


def test_invalid_value_is_refused_with_a_czech_message_and_nothing_saved(page):
    item = StackItem.objects.get(number=46)
    page.goto(f"{page.base}/admin/stack/stackitem/{item.pk}/change/")
    page.fill("#id_finance_mil", "-2")
    page.fill("#id_name", "Změněný název")
    page.click("input[name=_save]")
    errors = page.inner_text(".errorlist")
    assert "větší nebo rovna 0" in errors
    item.refresh_from_db()
    assert item.finance_mil == Decimal("1.35")
    assert item.name.startswith("FVE Gymnázium Dr.A.Randy")


def test_add_yearly_fulfilment_inline_under_an_activity(page):
    activity = Activity.objects.get(project__number=4, number=1)
    page.goto(f"{page.base}/admin/projects/activity/{activity.pk}/change/")
    page.get_by_role("link", name="Přidat Finanční Plnění").click()

    def new_field(suffix: str):
        selector = f"[name^='fulfilments'][name$='-{suffix}']:not([name*='__prefix__'])"
        return page.locator(selector).last

    new_field("year").fill("2021")
    new_field("outputs").fill("Podána žádost o dotaci.")
    new_field("spent").fill("12 500,50")
    page.click("input[name=_save]")
    page.wait_for_url(f"{page.base}/admin/projects/activity/")
    assert "byla úspěšně změněna" in page.inner_text(".messagelist")
    added = ActivityFulfilment.objects.get(activity=activity, year=2021)
    assert added.spent == Decimal("12500.50")
    assert added.plan_id == activity.plan_id


def test_dates_are_shown_the_czech_way(page):
    page.goto(f"{page.base}/admin/plans/plan/")
    page.get_by_role("link", name="Akční plán Koncepce Chytřejší kraj pro Liberecký kraj").click()
    dates = page.locator("input[name$='-date']:not([name*='__prefix__'])")
    dates.first.wait_for()
    assert [dates.nth(i).input_value() for i in range(dates.count())] == [
        "5. 2. 2020",
        "25. 2. 2020",
    ]
    assert "Vybrat vše: strategické cíle" not in page.inner_text("body")  # no M2M on this page
    page.goto(f"{page.base}/admin/projects/flagshipproject/")
    page.get_by_role("link", name="Energetický management").first.click()
    page.wait_for_url("**/change/")
    assert "Vybrat vše: strategické cíle" in page.inner_text("body")
    assert "Choose" not in page.inner_text("body")
