from pathlib import Path

import openpyxl
import pytest

from smartplan.exchange import measurement_batches, measurements_csv, plan_rows
from smartplan.exchange.workbook_writer import plan_workbook_save


@pytest.fixture
def exported(demo_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    return path


@pytest.fixture
def batches(monkeypatch):
    """Batches of 7 values (from a measurements' CSV and from a workbook's measurement
    sheet), and the size of each batch the measurement action was given."""
    monkeypatch.setattr(measurements_csv, "MEASUREMENT_BATCH", 7)
    monkeypatch.setattr(plan_rows, "MEASUREMENT_BATCH", 7)
    sizes = []
    real = measurement_batches.measurements_save

    def counted(**kwargs):
        sizes.append(len(kwargs["entries"]))
        return real(**kwargs)

    monkeypatch.setattr(measurement_batches, "measurements_save", counted)
    return sizes


def cells(path: Path) -> dict[str, list[list[tuple[type, object]]]]:
    """Every cell's type and value, per sheet."""
    workbook = openpyxl.load_workbook(path)
    return {
        ws.title: [[(type(v), v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in workbook.worksheets
    }
