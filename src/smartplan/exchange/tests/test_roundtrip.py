"""Export → import into an empty instance → export gives the same workbook, cell for cell."""

import pytest

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.tests.conftest import cells
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _round_trip(plan, tmp_path):
    first = tmp_path / "first.xlsx"
    plan_workbook_save(plan=plan, target=first)
    slug = plan.slug
    plan.delete()
    assert not Plan.objects.filter(slug=slug).exists()
    report = workbook_import(path=first)
    assert report.plan_created
    second = tmp_path / "second.xlsx"
    plan_workbook_save(plan=Plan.objects.get(slug=slug), target=second)
    return cells(first), cells(second)


def test_demo_plan_round_trip_is_identical(demo_plan, tmp_path):
    before, after = _round_trip(demo_plan, tmp_path)
    assert list(before) == list(after)
    for sheet in before:
        assert before[sheet] == after[sheet], sheet
    restored = Plan.objects.get(slug="liberec-2020")
    assert StackItem.objects.filter(plan=restored).count() == 53


def test_large_generated_plan_round_trip_is_identical(db, tmp_path):
    plan = synthetic_plans_generate(plans=1, scale=5, seed=77, measurements_per_sub=4)[0].plan
    before, after = _round_trip(plan, tmp_path)
    assert len(before["Zásobník projektů"]) == 5 * 53 + 1
    assert len(before["Měření"]) > 100
    for sheet in before:
        assert before[sheet] == after[sheet], sheet


def test_importing_the_same_workbook_twice_changes_nothing(exported):
    report = workbook_import(path=exported)
    assert not report.plan_created
    assert all(s.created == s.updated == s.removed == 0 for s in report.sheets)
    stack = next(s for s in report.sheets if s.name == "Zásobník projektů")
    assert stack.unchanged == 53


def test_the_plans_open_data_facts_round_trip(demo_plan, tmp_path):
    demo_plan.open_data_contact_name = "Odbor informatiky"
    demo_plan.legal_act_iri = ""
    demo_plan.terms_author_work = Plan.AuthorWork.NONE
    demo_plan.terms_database_right = Plan.DatabaseRight.CC0
    demo_plan.terms_personal_data = Plan.PersonalData.NONE
    demo_plan.save()
    before, after = _round_trip(demo_plan, tmp_path)
    assert before["Plán"] == after["Plán"]
    restored = Plan.objects.get(slug="liberec-2020")
    assert restored.open_data_contact_name == "Odbor informatiky"
    assert restored.open_data_contact_email == "epodatelna@kraj-lbc.cz"
    assert restored.legal_act_iri == ""
    assert restored.terms_author_work == Plan.AuthorWork.NONE
    assert restored.terms_database_right == Plan.DatabaseRight.CC0
    assert restored.terms_personal_data == Plan.PersonalData.NONE


def test_an_unknown_condition_of_use_is_refused_with_its_place(demo_plan, tmp_path):
    import openpyxl

    from smartplan.core.problems import ImportRefusedError

    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Plán"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Podmínky užití: osobní údaje":
            row[1].value = "snad ne"
    workbook.save(path)
    with pytest.raises(ImportRefusedError) as refused:
        workbook_import(path=path)
    assert "terms_personal_data" in str(refused.value.problems)
    demo_plan.refresh_from_db()
    assert demo_plan.terms_personal_data == Plan.PersonalData.CONTAINS
