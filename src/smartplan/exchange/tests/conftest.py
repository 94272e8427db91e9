from pathlib import Path

import openpyxl
import pytest

from smartplan.exchange.workbook_writer import plan_workbook_save


@pytest.fixture
def exported(demo_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    return path


def cells(path: Path) -> dict[str, list[list[tuple[type, object]]]]:
    """Every cell's type and value, per sheet."""
    workbook = openpyxl.load_workbook(path)
    return {
        ws.title: [[(type(v), v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in workbook.worksheets
    }
