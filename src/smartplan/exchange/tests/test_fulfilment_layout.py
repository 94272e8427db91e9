"""The seed's Appendix 3 as a table (project rows, the year in the header, activities,
subtotals) imports into an existing plan as its financial fulfilment."""

from decimal import Decimal

import pytest

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.fulfilment_layout import money
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.registers import FULFILMENT
from smartplan.exchange.tests.seed_tables import fulfilment_table, write, xlsx_write
from smartplan.projects.models import ActivityFulfilment

pytestmark = pytest.mark.django_db


def _fulfilment(plan):
    return {
        (f.activity.project.number, f.activity.number, f.activity.part, f.year): (
            f.spent,
            f.outputs,
        )
        for f in ActivityFulfilment.objects.filter(activity__plan=plan).select_related(
            "activity__project"
        )
    }


def _sheet(report):
    return next(s for s in report.sheets if s.name == FULFILMENT.name)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "docx"])
def test_the_seed_table_matches_the_plan(demo_plan, tmp_path, fmt):
    before = _fulfilment(demo_plan)
    table = fulfilment_table()
    # A Word report has one table per project; a workbook one sheet for all.
    path = write(tmp_path / "priloha3", fmt, *(table.split() if fmt == "docx" else [table]))
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    sheet = _sheet(report)
    assert (sheet.created, sheet.updated, sheet.unchanged) == (0, 0, len(before))
    assert _fulfilment(demo_plan) == before
    assert not [str(w) for w in report.warnings if "Příloha" in str(w) or "Tabulka" in str(w)]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "docx"])
def test_amounts_as_offices_write_them_update_the_spent_money(demo_plan, tmp_path, fmt):
    table = fulfilment_table(
        spent={
            (4, 1, ""): "260 000 Kč",
            (5, 2, ""): 1500.5,  # a number cell
            (7, 1, "AD2"): "1,2 mil. Kč",
            (9, 4, ""): "12 500,50 Kč\nPředpokládaná finanční náročnost 0,5 mil Kč.",
        }
    )
    path = write(tmp_path / "priloha3", fmt, table)
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    after = _fulfilment(demo_plan)
    assert after[(4, 1, "", 2020)][0] == Decimal("260000")
    assert after[(5, 2, "", 2020)][0] == Decimal("1500.5")
    assert after[(7, 1, "AD2", 2020)][0] == Decimal("1200000")
    assert after[(7, 1, "AD1", 2020)][0] == Decimal("0")  # the other part of activity 1
    assert after[(9, 4, "", 2020)][0] == Decimal("12500.50")
    assert _sheet(report).updated == 4
    warnings = [str(w) for w in report.warnings]
    assert any("Předpokládaná finanční náročnost" in w and "za částkou" in w for w in warnings)
    again = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert _sheet(again).updated == 0


def test_a_subtotal_that_disagrees_is_a_warning_naming_its_row(demo_plan, tmp_path):
    table = fulfilment_table()
    total_row = next(i for i, row in enumerate(table.rows) if row and row[0] == "Celkem")
    table.rows[total_row][3] = "100 000 Kč"
    path = xlsx_write(tmp_path / "priloha3.xlsx", table)
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    warnings = [str(w) for w in report.warnings]
    assert any(f"řádek {total_row + 1}" in w and "100 000 Kč" in w for w in warnings), warnings
    assert _sheet(report).updated == 0


def test_an_unknown_project_and_a_bad_amount_are_refused_with_their_place(demo_plan, tmp_path):
    before = _fulfilment(demo_plan)
    table = fulfilment_table(spent={(2, 3, ""): "zatím nic"})
    heading = next(i for i, row in enumerate(table.rows) if row[0] == "HOSPODAŘENÍ S VODOU")
    table.rows[heading][0] = "HOSPODAŘENÍ S VODU"
    path = xlsx_write(tmp_path / "priloha3.xlsx", table)
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path, plan_slug=demo_plan.slug)
    text = str(caught.value)
    assert "list Příloha 3" in text
    assert "„zatím nic“" in text
    assert "Hospodaření s vodou" in text.split("HOSPODAŘENÍ S VODU", 1)[1]
    assert _fulfilment(demo_plan) == before


@pytest.mark.parametrize(
    ("cell", "amount", "rest"),
    [
        ("0,00 Kč", Decimal("0.00"), ""),
        ("260 000 Kč", Decimal("260000"), ""),
        ("260\u00a0000,50 Kč", Decimal("260000.50"), ""),
        ("1,5 mil. Kč", Decimal("1500000.0"), ""),
        ("260 tis. Kč bez DPH", Decimal("260000"), "bez DPH"),
        (1200, Decimal("1200"), ""),
        ("Nerealizováno", None, "Nerealizováno"),
    ],
)
def test_money_as_the_report_writes_it(cell, amount, rest):
    assert money(cell) == (amount, rest)


def test_the_year_on_its_own_row_under_the_header_and_dashes_for_nothing(demo_plan, tmp_path):
    table = fulfilment_table(spent={(1, 2, ""): "–", (1, 3, ""): "5 000 Kč"})
    for row in table.rows:
        if row and row[0] == "Aktivita":
            row[3] = "Finanční plnění"
    first_header = next(i for i, row in enumerate(table.rows) if row[0] == "Aktivita")
    table.rows.insert(first_header + 1, [None, None, None, "za rok 2021"])
    table.merges = [
        (r + (r > first_header), c1, c2, r2 + (r2 > first_header)) for r, c1, c2, r2 in table.merges
    ]
    path = xlsx_write(tmp_path / "priloha3.xlsx", table)
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path, plan_slug=demo_plan.slug)
    # Project 1 has its year (2021, created); the others' headers name none.
    text = str(caught.value)
    assert "neuvádí rok plnění" in text
    assert f"řádek {first_header + 1}," not in text
    second_project = table.starts[1] + 1  # shifted by the inserted row
    del table.rows[second_project:]
    table.merges = [m for m in table.merges if m[3] < second_project]
    path = xlsx_write(tmp_path / "priloha3.xlsx", table)
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert _sheet(report).created == 4
    after = _fulfilment(demo_plan)
    assert after[(1, 2, "", 2021)][0] == Decimal("0")
    assert after[(1, 3, "", 2021)][0] == Decimal("5000")


def test_the_registers_own_fulfilment_sheet_is_not_taken_for_the_report(demo_plan, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Plnění"
    ws.append(["Projekt", "Aktivita", "Část", "Rok", "Dosažené výstupy", "Vynaloženo (Kč)"])
    ws.append([1, 1, None, 2020, "x", 0])
    workbook.save(tmp_path / "plneni.xlsx")
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=tmp_path / "plneni.xlsx", plan_slug=demo_plan.slug)
    assert "žádný z listů plánu" in str(caught.value)
    assert "rok plnění" not in str(caught.value)
