"""A coordinator uploads the office's stack table, checks the preview and confirms it."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.exchange.tests.test_seed_layout import office_workbook
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.browser


def test_upload_preview_and_confirm_in_the_browser(
    browser, live_server, transactional_db, django_user_model, tmp_path
):
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    StackItem.objects.filter(plan=plan).delete()
    django_user_model.objects.create_superuser("koordinator", "k@example.invalid", "heslo-k1")
    page = browser.new_page(locale="cs-CZ")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", "heslo-k1")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/plans/plan/{plan.pk}/change/")
    page.get_by_role("link", name="Importovat sešit nebo měření").click()

    page.set_input_files("#id_file", str(office_workbook(tmp_path / "zasobnik.xlsx")))
    page.get_by_role("button", name="Zobrazit, co by se změnilo").click()
    preview = page.inner_text(".import-preview")
    assert "Zásobník projektů: nové 44" in preview
    assert StackItem.objects.filter(plan=plan).count() == 0

    page.get_by_role("button", name="Potvrdit import").click()
    page.wait_for_url(f"{live_server.url}/admin/plans/plan/{plan.pk}/change/")
    assert "Importováno" in page.inner_text(".messagelist")
    stack = StackItem.objects.filter(plan=plan)
    assert stack.count() == 44
    assert stack.aggregate(total=Sum("finance_mil"))["total"] == Decimal("916.8")
