"""A stack table as the office keeps it (the report's Appendix 2 layout) imports correctly."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
import yaml
from django.db.models import Sum

from smartplan.core.problems import ImportRefusedError
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.tests.seed_tables import STACK_HEADER
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

FLAGSHIPS = {
    1: "SBĚR DOPRAVNÍCH DAT",
    2: "PODPORA CHYTRÝCH PODNIKATELSKÝCH ŘEŠENÍ",
    3: "EVIDENČNÍ SYSTÉM SBÍRKOVÝCH PŘEDMĚTŮ",
    4: "ENERGETICKÝ MANAGEMENT",
    5: "HOSPODAŘENÍ S VODOU",
    6: "ADAPTACE NA TRH PRÁCE V DIGITÁLNÍ EKONOMICE",
    7: "ELEKTRONICKÁ KOMUNIKACE A KYBERBEZPEČNOST",
    8: "INFORMAČNÍ A DATOVÝ PORTÁL",
    9: "ICT INFRASTRUKTURA",
}


def _czech(number):
    return str(number).replace(".", ",")


def office_workbook(path, *, area_of_item_7=None):
    """Items 1–44 of the seed with the quirks of a hand-kept table."""
    items = yaml.safe_load((DEMO_FIXTURE / "stack.yaml").read_text(encoding="utf-8"))["items"][:44]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List1"
    ws.append(["SMART - zásobník projektů do roku 2026"])  # title rows above the header
    ws.append([])
    ws.append(STACK_HEADER)
    first_transport_row = ws.max_row + 1
    for item in items:
        finance = item["finance_mil"]
        if finance is not None and item["number"] % 2:
            finance = _czech(finance)  # numbers typed as text with a decimal comma
        elif finance is not None:
            finance = float(finance)
        duration = item["duration_text"] or (
            int(item["duration_years"]) if item["duration_years"] else None
        )
        area = item["area"]
        if item["number"] == 7 and area_of_item_7:
            area = area_of_item_7
        elif item["number"] % 3 == 0:
            area = f"  {area.upper()} "  # stray spaces and another case
        ws.append(
            [
                item["number"],
                area,
                item["name"],
                item["description"] or None,
                str(item["status"]) if item["number"] % 4 == 0 else item["status"],
                finance,
                duration,
                f" {item['guarantor'].lower()}" if item["guarantor"] else None,
                FLAGSHIPS.get(item["flagship"]),
                item["note"] or None,
            ]
        )
    # Items 1–6 are all Doprava: the office merged their Oblast cells into one.
    ws.merge_cells(
        start_row=first_transport_row, start_column=2, end_row=first_transport_row + 4, end_column=2
    )
    ws.append([])
    ws.append(["CELKEM 916,8 mil. Kč do roku 2026"])
    ws.append([])
    ws.append(["1 - Běžící, nepotřebují rozpracování"])  # the legend below the table
    ws.append(["2 - Rozpracované, čeká se na finance, prioritu, příležitost"])
    wb.save(path)
    return path


def test_office_stack_table_imports_with_the_right_numbers(demo_plan, tmp_path):
    StackItem.objects.filter(plan=demo_plan).delete()
    report = workbook_import(
        path=office_workbook(tmp_path / "zasobnik.xlsx"), plan_slug=demo_plan.slug
    )
    stack = StackItem.objects.filter(plan=demo_plan)
    assert stack.count() == 44
    assert stack.aggregate(total=Sum("finance_mil"))["total"] == Decimal("916.8")
    item = stack.get(number=3)
    assert (item.area.name, item.area_label) == ("Doprava", "")
    assert item.flagship.number == 1
    assert stack.get(number=5).area.name == "Doprava"  # from the merged cell
    assert stack.get(number=4).guarantor.name == "Odbor dopravy"  # " odbor dopravy"
    realised = stack.get(number=39)
    assert (realised.duration_years, realised.duration_text) == (None, "Realizováno")
    assert stack.get(number=2).finance_mil == Decimal("7.5")
    warnings = [str(w) for w in report.warnings]
    assert any("Realizováno" in w and "poznámka" in w for w in warnings)
    assert any("CELKEM" in w for w in warnings)
    assert any("Běžící" in w for w in warnings)
    assert next(s for s in report.sheets if s.name == "Zásobník projektů").created == 44


def test_unknown_area_is_refused_with_suggestions(demo_plan, tmp_path):
    before = list(StackItem.objects.filter(plan=demo_plan).values_list("pk", "updated_at"))
    path = office_workbook(
        tmp_path / "zasobnik.xlsx", area_of_item_7="Ekonomicky rozvoj a cestovni ruh"
    )
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path, plan_slug=demo_plan.slug)
    text = str(caught.value)
    assert "řádek 10, sloupec Oblast" in text  # item 7 sits on row 10
    assert "Ekonomický rozvoj a cestovní ruch" in text.split("ruh", 1)[1]  # suggested
    assert list(StackItem.objects.filter(plan=demo_plan).values_list("pk", "updated_at")) == before


def test_unknown_area_can_be_created_on_request(demo_plan, tmp_path):
    path = office_workbook(tmp_path / "zasobnik.xlsx", area_of_item_7="Chytrá mobilita")
    report = workbook_import(path=path, plan_slug=demo_plan.slug, create_missing=True)
    assert StackItem.objects.get(plan=demo_plan, number=7).area.name == "Chytrá mobilita"
    assert any("Chytrá mobilita" in str(w) for w in report.warnings)


def test_dates_as_excel_serials_and_as_text(demo_plan, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Schválení"
    ws.append(["Orgán", "Datum", "Číslo usnesení"])
    ws.append(["Rada Libereckého kraje", 43866, None])  # 5. 2. 2020 as a serial number
    ws.append(["Zastupitelstvo Libereckého kraje", "25. 2. 2020", "50/20/ZK"])
    ws.append(["Výbor pro rozvoj", dt.datetime(2020, 3, 1), "1/20"])
    wb.save(tmp_path / "s.xlsx")
    report = workbook_import(path=tmp_path / "s.xlsx", plan_slug=demo_plan.slug)
    approvals = next(s for s in report.sheets if s.name == "Schválení")
    assert (approvals.created, approvals.unchanged) == (1, 2)
