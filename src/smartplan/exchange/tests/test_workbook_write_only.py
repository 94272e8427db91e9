"""The plan workbook written a row at a time keeps what users see in Excel."""

import openpyxl
import pytest
from django.conf import settings

from smartplan.exchange import workbook_reader
from smartplan.exchange.workbook_writer import LISTS, plan_workbook_save
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def test_frozen_headers_widths_lists_and_text_cells_survive(demo_plan, tmp_path):
    StackItem.objects.filter(plan=demo_plan, number=1).update(name='=HYPERLINK("x")')
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == "Vysvětlivky"
    assert workbook.sheetnames[-1] == LISTS
    assert workbook[LISTS].sheet_state == "hidden"
    stack = workbook["Zásobník projektů"]
    assert stack.freeze_panes == "A2"
    assert workbook["Vysvětlivky"].freeze_panes == "A5"
    assert stack["A1"].font.bold
    assert stack.column_dimensions["C"].width > 10
    title = next(c for c in stack["C"] if c.value == '=HYPERLINK("x")')
    assert title.data_type == "s"
    assert title.quotePrefix
    validations = {str(v.sqref): v.formula1 for v in stack.data_validations.dataValidation}
    assert any(formula.startswith("'Číselníky'!$") for formula in validations.values())
    measurements = workbook["Měření"]
    assert measurements.freeze_panes == "A2"
    states = [v for v in measurements.data_validations.dataValidation if "E" in str(v.sqref)]
    assert states  # the Stav column offers předběžná / konečná
    approvals = workbook["Schválení"]
    assert approvals.max_row > 1
    assert approvals["B2"].is_date
    assert approvals["B2"].number_format == "d. m. yyyy"


def test_the_import_row_limit_is_a_setting_that_fits_every_xlsx_sheet():
    assert settings.IMPORT_MAX_ROWS == 1_048_575
    assert workbook_reader.MAX_ROWS == settings.IMPORT_MAX_ROWS
