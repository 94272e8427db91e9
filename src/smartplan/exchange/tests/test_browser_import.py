"""A coordinator uploads the office's stack table, checks the preview and confirms it."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.exchange.tests.test_seed_layout import office_workbook
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.browser


def test_upload_preview_and_confirm_in_the_browser(admin_page, tmp_path):
    page, base = admin_page, admin_page.base
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    StackItem.objects.filter(plan=plan).delete()
    page.goto(f"{base}/admin/plans/plan/{plan.pk}/change/")
    page.get_by_role("link", name="Importovat sešit nebo měření").click()

    page.set_input_files("#id_file", str(office_workbook(tmp_path / "zasobnik.xlsx")))
    page.get_by_role("button", name="Zobrazit, co by se změnilo").click()
    preview = page.inner_text(".import-preview")
    assert "Zásobník projektů: nové 44" in preview
    assert StackItem.objects.filter(plan=plan).count() == 0

    page.get_by_role("button", name="Potvrdit import").click()
    page.wait_for_url(f"{base}/admin/plans/plan/{plan.pk}/change/")
    assert "Importováno" in page.inner_text(".messagelist")
    stack = StackItem.objects.filter(plan=plan)
    assert stack.count() == 44
    assert stack.aggregate(total=Sum("finance_mil"))["total"] == Decimal("916.8")


def test_a_table_in_its_own_layout_is_mapped_in_the_browser(admin_page, tmp_path):
    """The proposal as a form: the coordinator corrects one column, sees the preview,
    confirms; the next file with the same headers goes straight to the preview."""
    from smartplan.exchange.tests.test_table_mapping import ROWS, region_stack
    from smartplan.portal.tests.axe import axe_assert_clean

    page, base = admin_page, admin_page.base
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    page.goto(f"{base}/admin/plans/plan/{plan.pk}/import/")

    page.set_input_files("#id_file", str(region_stack(tmp_path / "vysocina.xlsx")))
    page.get_by_role("button", name="Zobrazit, co by se změnilo").click()
    assert "Sloupce listu Zásobník 2024" in page.inner_text("h2")
    axe_assert_clean(page, label="mapping form")
    internal = page.get_by_label("Sloupec Interní kód (H)")
    assert internal.input_value() == ""  # proposed: feeds nothing
    internal.select_option("note")  # the coordinator corrects it
    page.get_by_role("button", name="Zobrazit, co by se změnilo").click()
    assert "Zásobník projektů: nové 4" in page.inner_text(".import-preview")
    assert not StackItem.objects.filter(plan=plan, number__gt=100).exists()

    page.get_by_role("button", name="Potvrdit import").click()
    page.wait_for_url(f"{base}/admin/plans/plan/{plan.pk}/change/")
    assert "Importováno" in page.inner_text(".messagelist")
    items = {i.number: i for i in StackItem.objects.filter(plan=plan, number__gt=100)}
    assert items[101].finance_mil == Decimal("1.1")  # 1 100 tis. Kč
    assert items[101].note == "X-1"

    page.goto(f"{base}/admin/plans/plan/{plan.pk}/import/")
    again = region_stack(tmp_path / "vysocina-2.xlsx", rows=[*ROWS[:2]], order=[1, 0, *range(2, 9)])
    page.set_input_files("#id_file", str(again))
    page.get_by_role("button", name="Zobrazit, co by se změnilo").click()
    assert "Použito mapování uložené" in page.inner_text("#content")
    assert "Zásobník projektů: nové 0" in page.inner_text(".import-preview")
