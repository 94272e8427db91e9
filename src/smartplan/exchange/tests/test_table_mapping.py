"""A region's own tables imported through a column mapping: proposed, confirmed once (the
CLI prints it as YAML and refuses with exit code 2), then used again without asking."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartplan.core.models import ChangeSet
from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.mapping_proposal import mapping_propose
from smartplan.exchange.mapping_targets import STACK_TARGET, TARGETS
from smartplan.exchange.mapping_yaml import mapping_dict, mapping_from_dict
from smartplan.exchange.models import SavedMapping
from smartplan.exchange.table_import import MappingNeededError, table_import
from smartplan.exchange.workbook_reader import SheetData
from smartplan.indicators.models import Measurement
from smartplan.projects.models import Activity
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

HEADER_TOP = ["Název projektu", "Č.", "Tematická oblast", "Stav", "Finance", "Délka",
              "Odpovědný odbor", "Interní kód", "Popis"]  # fmt: skip
HEADER_UNITS = [None, None, None, None, "tis. Kč", "měsíce", None, None, None]
ROWS = [
    ["Chytré zastávky", 101, "Doprava", "běží", "1 100", 24, "Odbor dopravy KÚ", "X-1", "Panely"],
    ["Sdílená kola", 102, "doprava", "v přípravě", 2500, 18, "Odbor dopravy", "X-2", None],
    ["Datový sklad", 103, "Veřejná správa", "nápad", 800, 12, "Odbor informatiky", "X-3", None],
    ["Senzory ovzduší", 104, "Zivotni prostredi", "připraveno", None, 36,
     "Odbor životního prostředí a zemědělství", "X-4", None],
]  # fmt: skip


def region_stack(path, *, rows=ROWS, order=None, drop=()):
    """A region's stack as its office keeps it: a title, a two-row header with merged
    cells ("Finance" over "tis. Kč"), its own column order and words, a total row."""
    order = order or list(range(len(HEADER_TOP)))
    order = [i for i in order if HEADER_TOP[i] not in drop]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zásobník 2024"
    ws.append(["Zásobník projektů Kraje Vysočina, stav k 1. 3. 2024"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(order))
    ws.append([])
    ws.append([HEADER_TOP[i] for i in order])
    ws.append([HEADER_UNITS[i] for i in order])
    for position, i in enumerate(order, start=1):
        if HEADER_UNITS[i] is None:  # the other headers span both rows
            ws.merge_cells(start_row=3, start_column=position, end_row=4, end_column=position)
    for row in rows:
        ws.append([row[i] for i in order])
    ws.append(["Celkem", None, None, None, 4400])
    wb.save(path)
    return path


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *[str(a) for a in args], stdout=out, stderr=err, **options)
    except SystemExit as exited:
        code = exited.code
    return code, out.getvalue(), err.getvalue()


def test_cli_proposes_then_imports_with_the_mapping_then_without_asking(demo_plan, tmp_path):
    path = region_stack(tmp_path / "vysocina.xlsx")
    code, out, err = run(path, plan=demo_plan.slug, register="stack")
    assert code == 2
    assert "nemá uložené mapování" in err
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()
    proposal = yaml.safe_load(out)
    fields = {c["column"]: c.get("field") for c in proposal["columns"]}
    assert fields == {
        "Název projektu": "name",
        "Č.": "number",
        "Tematická oblast": "area_text",
        "Stav": "status",
        "Finance tis. Kč": "finance_mil",
        "Délka měsíce": "duration_years",
        "Odpovědný odbor": "guarantor",
        "Interní kód": None,  # listed, feeds nothing
        "Popis": "description",
    }
    units = {c["column"]: c.get("unit") for c in proposal["columns"] if c.get("unit")}
    assert units == {"Finance tis. Kč": "tis. Kč", "Délka měsíce": "měsíce"}
    assert proposal["values"]["status"] == {
        "běží": 1,
        "v přípravě": 2,
        "nápad": 4,
        "připraveno": 2,
    }
    assert proposal["values"]["guarantor"] == {"Odbor dopravy KÚ": "Odbor dopravy"}
    assert "Sloupce, které nic neplní: Interní kód" in out
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(out, encoding="utf-8")

    code, out, err = run(path, plan=demo_plan.slug, register="stack", mapping=mapping_file)
    assert code == 0, err
    assert "Zásobník projektů: nové 4" in out
    assert "sloupec Interní kód" in out  # the unused column is listed
    # The time in Czech: a decimal comma ("za 0,17 s"), never "0.17".
    assert re.search(r"Importováno do plánu „.+“ za \d+,\d\d s\.", out), out
    # Warnings name the user's sheet and column, not the register's.
    assert "list Zásobník 2024, řádek 6, sloupec Délka měsíce: „18 měsíců“" in out, out
    items = {i.number: i for i in StackItem.objects.filter(plan=demo_plan, number__gt=100)}
    assert items[101].finance_mil == Decimal("1.1")  # 1 100 tis. Kč
    assert items[102].finance_mil == Decimal("2.5")
    assert items[101].duration_years == 2  # 24 months
    assert items[102].duration_years is None
    assert items[102].duration_text == "18 měsíců"  # not a whole number of years: kept as text
    assert [items[n].status for n in (101, 102, 103, 104)] == [1, 2, 4, 2]
    assert items[101].guarantor.name == "Odbor dopravy"
    assert items[104].area.name == "Životní prostředí"
    assert ChangeSet.objects.filter(label="vysocina.xlsx").exists()
    assert SavedMapping.objects.filter(plan=demo_plan, register="stack").count() == 1

    # The next file with the same headers, in another column order, imports without asking.
    again = region_stack(
        tmp_path / "vysocina-brezen.xlsx",
        rows=[*ROWS, ["Chytré lampy", 105, "Doprava", "běží", "300", 6, "Odbor dopravy", "", ""]],
        order=[1, 0, 8, 2, 3, 6, 4, 5, 7],
    )
    code, out, err = run(again, plan=demo_plan.slug, register="stack")
    assert code == 0, err
    assert "Použito mapování uložené pro tyto sloupce (potvrzené se souborem vysocina.xlsx)" in err
    assert "nové 1, změněné 0, beze změny 4" in out
    lamp = StackItem.objects.get(plan=demo_plan, number=105)
    assert lamp.finance_mil == Decimal("0.3")
    assert lamp.duration_text == "6 měsíců"


def test_dry_run_writes_nothing_and_saves_no_mapping(demo_plan, tmp_path):
    path = region_stack(tmp_path / "vysocina.xlsx")
    code, out, _err = run(path, plan=demo_plan.slug, register="stack")
    (tmp_path / "m.yaml").write_text(out, encoding="utf-8")
    code, out, err = run(
        path, plan=demo_plan.slug, register="stack", mapping=tmp_path / "m.yaml", dry_run=True
    )
    assert code == 0, err
    assert "Zásobník projektů: nové 4" in out
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()
    assert not SavedMapping.objects.exists()


def test_a_required_field_left_unfed_is_refused_naming_it(demo_plan, tmp_path):
    path = region_stack(tmp_path / "bez-stavu.xlsx", drop={"Stav"})
    code, out, _err = run(path, plan=demo_plan.slug, register="stack")
    assert code == 2
    proposal = yaml.safe_load(out)
    assert "status" not in {c.get("field") for c in proposal["columns"]}
    (tmp_path / "m.yaml").write_text(out, encoding="utf-8")
    code, out, err = run(path, plan=demo_plan.slug, register="stack", mapping=tmp_path / "m.yaml")
    assert code == 2
    assert "žádný sloupec neplní povinné pole Stav" in err
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()


def test_an_edited_mapping_with_unknown_columns_and_fields_is_refused(demo_plan, tmp_path):
    path = region_stack(tmp_path / "vysocina.xlsx")
    code, out, _err = run(path, plan=demo_plan.slug, register="stack")
    mapping = yaml.safe_load(out)
    mapping["columns"][0]["field"] = "nazev_projektu"
    mapping["columns"].append({"column": "Rozpočet 2025", "field": "note"})
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    code, out, err = run(path, plan=demo_plan.slug, register="stack", mapping=tmp_path / "m.yaml")
    assert code == 2
    assert "neznámé pole" in err
    assert "nazev_projektu" in err
    assert "tabulka nemá sloupec Rozpočet 2025" in err
    assert not SavedMapping.objects.exists()


def test_problems_name_the_users_sheet_row_and_column(demo_plan, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][3] = "zrušeno"  # a status word no one mapped
    path = region_stack(tmp_path / "vysocina.xlsx", rows=rows)
    code, out, _err = run(path, plan=demo_plan.slug, register="stack")
    mapping = yaml.safe_load(out)
    assert mapping["values"]["status"]["zrušeno"] is None  # left for the user to fill in
    (tmp_path / "m.yaml").write_text(out, encoding="utf-8")
    code, out, err = run(path, plan=demo_plan.slug, register="stack", mapping=tmp_path / "m.yaml")
    assert code == 2
    assert "list Zásobník 2024, řádek 7, sloupec Stav: „zrušeno“" in err
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()


def activities_table(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Aktivity"
    ws.append(["Číslo projektu", "Č. aktivity", "Popis činnosti", "Náklady (tis. Kč)", "Garant"])
    ws.append([1, 91, "Pilotní provoz aplikace", "250", "KORID"])
    ws.append([1, 92, "Vyhodnocení pilotu", 1200.5, "KORID"])
    wb.save(path)
    return path


def test_an_activity_table_is_mapped_with_costs_in_kc(demo_plan, tmp_path):
    path = activities_table(tmp_path / "aktivity.xlsx")
    with pytest.raises(MappingNeededError) as needed:
        table_import(path=path, plan=demo_plan, register="activities")
    proposal = needed.value.proposal
    assert {c.label: c.field for c in proposal.columns} == {
        "Číslo projektu": "project",
        "Č. aktivity": "number",
        "Popis činnosti": "description",
        "Náklady (tis. Kč)": "cost_max",
        "Garant": None,
    }
    result = table_import(
        path=path, plan=demo_plan, register="activities", mapping=mapping_dict(proposal)
    )
    assert result.saved is not None
    piloted = Activity.objects.get(plan=demo_plan, project__number=1, number=91)
    assert piloted.cost_max == Decimal("250000")
    assert Activity.objects.get(plan=demo_plan, project__number=1, number=92).cost_max == Decimal(
        "1200500"
    )


def test_a_measurement_table_is_mapped(demo_plan, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kód ukazatele", "K datu", "Naměřeno", "Komentář"])
    ws.append(["1.1", "31. 12. 2021", "2 500", "první rok provozu"])
    ws.append(["1.2", "31. 12. 2021", 4, "partneři zapojeni"])
    path = tmp_path / "mereni.xlsx"
    wb.save(path)
    with pytest.raises(MappingNeededError) as needed:
        table_import(path=path, plan=demo_plan, register=None)  # the register is guessed
    proposal = needed.value.proposal
    assert proposal.target.code == "measurements"
    assert [c.field for c in proposal.columns] == ["sub_indicator", "date", "value", "note"]
    table_import(path=path, plan=demo_plan, register="measurements", mapping=mapping_dict(proposal))
    value = Measurement.objects.get(plan=demo_plan, sub_indicator__code="1.1", date="2021-12-31")
    assert value.value == Decimal("2500")
    assert value.note == "první rok provozu"


def test_an_indicator_table_is_mapped(demo_plan, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Pořadí", "Indikátor", "Zdroj dat", "Periodicita"])
    ws.append([31, "Podíl elektronických podání", "spisová služba", "ročně"])
    path = tmp_path / "indikatory.xlsx"
    wb.save(path)
    with pytest.raises(MappingNeededError) as needed:
        table_import(path=path, plan=demo_plan, register="indicators")
    proposal = needed.value.proposal
    assert [c.field for c in proposal.columns] == ["number", "name", "data_source", "frequency"]
    table_import(path=path, plan=demo_plan, register="indicators", mapping=mapping_dict(proposal))
    from smartplan.indicators.models import Indicator

    added = Indicator.objects.get(plan=demo_plan, number=31)
    assert added.data_source == "spisová služba"


def test_refused_import_writes_nothing(demo_plan, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "Kosmonautika"  # no such area
    path = region_stack(tmp_path / "v.xlsx", rows=rows)
    with pytest.raises(MappingNeededError) as needed:
        table_import(path=path, plan=demo_plan, register="stack")
    with pytest.raises(ImportRefusedError) as refused:
        table_import(
            path=path, plan=demo_plan, register="stack", mapping=mapping_dict(needed.value.proposal)
        )
    assert "řádek 5, sloupec Tematická oblast" in str(refused.value)
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()
    assert not SavedMapping.objects.exists()


header_cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-10, 10_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["Stav", "Finance", "mil. Kč", "tis. Kč", "P.č.", "Oblast", "měsíce", ""]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(header_cell, max_size=8).map(tuple), max_size=6),
    target=st.sampled_from(sorted(TARGETS)),
)
def test_the_proposal_never_fails_on_any_header(rows, target):
    data = SheetData("List1", [(n, values) for n, values in enumerate(rows, start=1)])
    mapping = mapping_propose(data, TARGETS[target], values=True)
    fields = [c.field for c in mapping.columns if c.field]
    assert len(fields) == len(set(fields))  # a field is fed by one column at most
    assert len(mapping.columns) == max((len(r) for r in rows[:50]), default=0) or not rows
    # The mapping as a file and back is the same mapping.
    again = mapping_from_dict(mapping_dict(mapping), mapping, source="m.yaml")
    assert [(c.label, c.field, c.unit) for c in again.columns] == [
        (c.label, c.field, c.unit) for c in mapping.columns
    ]


def test_stack_target_knows_the_seed_headers():
    from smartplan.exchange.registers import STACK

    data = SheetData("List1", [(1, tuple(STACK.headers)), (2, (1, "Doprava", "X", None, 1))])
    mapping = mapping_propose(data, STACK_TARGET, values=False)
    assert [c.field for c in mapping.columns] == [c.field for c in STACK.columns]


def test_a_heading_merged_over_two_columns_is_joined_to_them(demo_plan, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Projekt", "Aktivita", "Popis", "Odhad nákladů (Kč)", "Odhad nákladů (Kč)"])
    ws.merge_cells("D1:E1")
    ws.append([None, None, None, "od", "do"])
    for column in "ABC":
        ws.merge_cells(f"{column}1:{column}2")
    ws.append([2, 93, "Studie proveditelnosti", "100 000", "150 000"])
    path = tmp_path / "aktivity.xlsx"
    wb.save(path)
    with pytest.raises(MappingNeededError) as needed:
        table_import(path=path, plan=demo_plan, register="activities")
    proposal = needed.value.proposal
    assert proposal.header_rows == (1, 2)
    assert {c.label: c.field for c in proposal.columns} == {
        "Projekt": "project",
        "Aktivita": "number",
        "Popis": "description",
        "Odhad nákladů (Kč) od": "cost_min",
        "Odhad nákladů (Kč) do": "cost_max",
    }


def test_an_unknown_plan_is_named(demo_plan, tmp_path):
    path = region_stack(tmp_path / "vysocina.xlsx")
    code, _out, err = run(path, plan="neni-takovy", register="stack")
    assert code == 2
    assert f"Plán „neni-takovy“ neexistuje (plány: {demo_plan.slug})" in err
