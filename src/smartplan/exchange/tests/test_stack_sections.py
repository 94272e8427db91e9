"""The seed's Appendix 2 in full: the section row above items 45–53, the seed's topic
labels in the Oblast column, and a stack sheet exported alone that comes back unchanged."""

from pathlib import Path

import openpyxl
import pytest

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.register_export import register_xlsx
from smartplan.exchange.registers import STACK
from smartplan.exchange.tests.seed_tables import stack_table, write, xlsx_write
from smartplan.exchange.workbook_writer import register_rows
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

AREAS_45_53 = {
    45: ("Životní prostředí", "Energetický management"),
    46: ("Životní prostředí", "Energetický management"),
    47: ("Ekonomický rozvoj a cestovní ruch", "Chytrá řešení"),
    48: ("Životní prostředí", "Hospodaření s vodou"),
    49: ("Životní prostředí", ""),
    50: ("Zdravotnictví", ""),
    51: ("Životní prostředí", "Energetický management"),
    52: ("Životní prostředí", "Hospodaření s vodou"),
    53: ("Životní prostředí", "Hospodaření s vodou"),
}


def _stack(plan):
    return {
        item.number: (item.area.name, item.area_label, item.year_added)
        for item in StackItem.objects.filter(plan=plan).select_related("area")
    }


def _sheet(report):
    return next(s for s in report.sheets if s.name == STACK.name)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "docx"])
def test_the_seed_table_with_its_section_row_matches_the_plan(demo_plan, tmp_path, fmt):
    before = _stack(demo_plan)
    path = write(tmp_path / "priloha2", fmt, stack_table())
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert (_sheet(report).created, _sheet(report).updated, _sheet(report).unchanged) == (0, 0, 53)
    assert _stack(demo_plan) == before
    stack = _stack(demo_plan)
    assert {n: stack[n][:2] for n in range(45, 54)} == AREAS_45_53
    warnings = [str(w) for w in report.warnings]
    assert not any("Nové projekty" in w for w in warnings)  # a heading, not junk
    assert any("CELKEM" in w for w in warnings)  # the total still is


@pytest.mark.parametrize(
    ("fmt", "merged"), [("xlsx", True), ("xlsx", False), ("ods", True), ("docx", False)]
)
def test_a_heading_with_a_year_sets_the_year_added_of_the_items_below(
    demo_plan, tmp_path, fmt, merged
):
    table = stack_table(heading="Nové projekty 2021", merged=merged)
    path = write(tmp_path / "priloha2", fmt, table)
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    stack = _stack(demo_plan)
    assert {stack[n][2] for n in range(45, 54)} == {2021}
    assert {stack[n][2] for n in range(1, 45)} == {None}
    assert _sheet(report).updated == 9
    progress = StackItem.objects.get(plan=demo_plan, number=45).progress_note
    assert progress.startswith("v rámci vlajkového projektu")  # kept, not emptied
    again = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert (_sheet(again).updated, _sheet(again).unchanged) == (0, 53)


def test_a_heading_without_a_year_keeps_the_years(demo_plan, tmp_path):
    StackItem.objects.filter(plan=demo_plan, number=50).update(year_added=2019)
    path = xlsx_write(tmp_path / "priloha2.xlsx", stack_table(heading="Nové projekty"))
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert _sheet(report).updated == 0
    assert _stack(demo_plan)[50][2] == 2019


def test_into_an_empty_stack_labels_resolve_from_areas_and_flagships(demo_plan, tmp_path):
    # Without the plan's own labels: flagship names and areas still resolve; "Chytrá
    # řešení" names neither, and is a clear problem with suggestions.
    StackItem.objects.filter(plan=demo_plan).delete()
    path = xlsx_write(tmp_path / "priloha2.xlsx", stack_table())
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path, plan_slug=demo_plan.slug)
    text = str(caught.value)
    assert "„Chytrá řešení“" in text
    assert "(1 problém)" in text  # items 45, 46, 48, 51–53 resolved through the flagships
    assert not StackItem.objects.filter(plan=demo_plan).exists()


def test_an_unknown_label_is_refused_with_suggestions(demo_plan, tmp_path):
    table = stack_table()
    row = next(r for r in table.rows if r and r[0] == 52)
    row[1] = "Hospodareni s vodu"
    path = xlsx_write(tmp_path / "priloha2.xlsx", table)
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path, plan_slug=demo_plan.slug)
    text = str(caught.value)
    assert "sloupec Oblast: „Hospodareni s vodu“" in text
    assert "Hospodaření s vodou" in text.split("Hospodareni s vodu", 1)[1]


def test_a_stack_sheet_exported_alone_comes_back_unchanged(demo_plan, tmp_path):
    before = _stack(demo_plan)
    path = Path(tmp_path / "zasobnik.xlsx")
    path.write_bytes(register_xlsx(STACK, register_rows(STACK, demo_plan)))
    sheets = openpyxl.load_workbook(path).sheetnames
    assert sheets == [STACK.name]  # no "Zásobník – doplňky"
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert (_sheet(report).created, _sheet(report).updated, _sheet(report).unchanged) == (0, 0, 53)
    assert _stack(demo_plan) == before


def test_the_plan_workbook_without_the_extra_sheet_comes_back_unchanged(
    demo_plan, exported, tmp_path
):
    workbook = openpyxl.load_workbook(exported)
    del workbook["Zásobník – doplňky"]
    workbook.save(tmp_path / "bez-doplnku.xlsx")
    report = workbook_import(path=tmp_path / "bez-doplnku.xlsx", plan_slug=demo_plan.slug)
    assert sum(s.updated + s.created for s in report.sheets) == 0
