"""Two people edit the same row in two browsers: the second save is refused, shows the first
one's change, and the stored row keeps only the first change (Debian's Chromium)."""

import datetime as dt
from decimal import Decimal

import pytest

from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save
from smartplan.organisations.models import Person
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.browser


def _logged_in(browser, base, username, password, landing):
    page = browser.new_page(locale="cs-CZ")
    page.goto(f"{base}/admin/login/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}{landing}")
    return page


@pytest.fixture
def plan(live_server, transactional_db):
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    return plan


def test_two_editors_of_one_stack_item(browser, live_server, plan, django_user_model):
    django_user_model.objects.create_superuser("koordinator", "k@example.invalid", "heslo-k1")
    django_user_model.objects.create_superuser("kolegyne", "c@example.invalid", "heslo-k2")
    item = StackItem.objects.get(plan=plan, number=46)
    url = f"/admin/stack/stackitem/{item.pk}/change/"
    first = _logged_in(browser, live_server.url, "koordinator", "heslo-k1", url)
    second = _logged_in(browser, live_server.url, "kolegyne", "heslo-k2", url)

    first.fill("#id_finance_mil", "1,5")
    first.click("input[name=_save]")
    assert "byla úspěšně změněna" in first.inner_text(".messagelist")

    second.fill("#id_note", "Doplněno kolegyní.")
    second.click("input[name=_save]")
    refusal = second.inner_text(".errornote + ul.errorlist, ul.errorlist.nonfield")
    assert "po otevření tohoto formuláře změnil někdo jiný" in refusal
    assert "Mezitím se změnilo" in refusal
    assert "„1,35“ při otevření formuláře, nyní „1,5“" in refusal
    # The user's own input is still on the form, to copy before reloading.
    assert second.input_value("#id_note") == "Doplněno kolegyní."

    item.refresh_from_db()
    assert item.finance_mil == Decimal("1.5")
    assert item.note != "Doplněno kolegyní."

    # Reloaded, the second editor's change goes on top of the first one's.
    second.goto(f"{live_server.url}{url}")
    second.fill("#id_note", "Doplněno kolegyní.")
    second.click("input[name=_save]")
    assert "byla úspěšně změněna" in second.inner_text(".messagelist")
    item.refresh_from_db()
    assert (item.finance_mil, item.note) == (Decimal("1.5"), "Doplněno kolegyní.")


def test_two_people_change_one_value_in_my_indicators(
    browser, live_server, plan, django_user_model
):
    user = django_user_model.objects.create_user("tvrznik", "p@example.invalid", "heslo-tvrznik")
    Person.objects.filter(plan=plan, name="Pavel Tvrzník").update(user=user)
    sub = SubIndicator.objects.get(plan=plan, code="8.1")
    # Entering values is a data provider's (roles are the only door, access/policy.py).
    plan_role_grant(plan=plan, user=user, role=PROVIDER, sub_indicators=[sub])
    stored = measurement_save(
        entry=MeasurementEntry(
            sub_indicator=sub, date=dt.date(2021, 6, 30), value=Decimal(3), note="Jaro"
        ),
        user=None,
    )
    url = f"{live_server.url}/monitoring/mereni/{stored.pk}/"
    pages = []
    for _session in range(2):
        page = browser.new_page(locale="cs-CZ")
        page.goto(url)
        page.fill("#id_username", "tvrznik")  # redirected to the login form
        page.fill("#id_password", "heslo-tvrznik")
        page.get_by_role("button", name="Přihlásit se").click()
        page.goto(url)
        pages.append(page)
    first, second = pages

    first.fill("#id_value", "5")
    first.get_by_role("button", name="Uložit").click()
    assert "Hodnota byla změněna" in first.inner_text("[role=status]")

    # The stale form still says 3; only the comment is edited.
    second.fill("#id_note", "Jen doplňuji komentář.")
    second.get_by_role("button", name="Uložit").click()
    refusal = second.inner_text("[role=alert]")
    assert "„8.1 k 30. 6. 2021“ po otevření tohoto formuláře změnil někdo jiný" in refusal
    assert "„3“ při otevření formuláře, nyní „5“" in refusal

    stored.refresh_from_db()
    assert (stored.value, stored.note) == (Decimal(5), "Jaro")
    assert Measurement.objects.filter(sub_indicator=sub).count() == 1
