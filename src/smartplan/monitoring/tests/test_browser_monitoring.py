"""A responsible person logs in, finds what is due and enters a value, in a real browser."""

import datetime as dt
from decimal import Decimal

import pytest

from smartplan.access.services import plan_role_grant
from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.models import SubIndicatorState
from smartplan.organisations.models import Person

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db, django_user_model):
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    user = django_user_model.objects.create_user(
        "tvrznik", "pavel.tvrznik@kraj-lbc.cz", "heslo-tvrznik"
    )
    Person.objects.filter(plan=plan, name="Pavel Tvrzník").update(user=user)
    # He enters the values of his indicators as their data provider.
    plan_role_grant(
        plan=plan,
        user=user,
        role="provider",
        sub_indicators=SubIndicator.objects.filter(
            plan=plan, indicator__responsible_person__user=user
        ),
    )
    page = browser.new_page(locale="cs-CZ")
    page.base = live_server.url
    return page


def test_enter_a_value_from_my_indicators(page):
    page.goto(f"{page.base}/monitoring/moje/")
    page.fill("#id_username", "tvrznik")  # redirected to the login form
    page.fill("#id_password", "heslo-tvrznik")
    page.get_by_role("button", name="Přihlásit se").click()
    page.goto(f"{page.base}/monitoring/moje/")
    row = page.get_by_role("row").filter(has_text="8.1 Počet otevřených datových sad")
    row.get_by_role("link", name="Zadat hodnotu").click()

    page.fill("#id_date", "30. 6. 2021")
    page.fill("#id_value", "0")
    page.get_by_role("button", name="Uložit").click()
    assert "mimo plán" in page.inner_text("[role=alert]")
    assert not Measurement.objects.exists()

    page.fill("#id_value", "3,0")
    page.get_by_role("button", name="Uložit").click()
    assert "Hodnota byla uložena" in page.inner_text("[role=status]")
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.date) == (Decimal(3), dt.date(2021, 6, 30))
    state = SubIndicatorState.objects.get(sub_indicator=measurement.sub_indicator)
    assert state.value == Decimal(3)
    # The page shows the new progress; its disclosure explains the computation.
    page.get_by_text("60\xa0%").first.click()
    assert "(3 − 0) / (5 − 0)" in page.inner_text("details[open]")
