"""An import that changes nothing writes nothing: no history, no states, no plan save."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.core.models import ChangeSet
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.plan_import import workbook_import
from smartplan.indicators.models import Measurement
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _writes(captured):
    return [q["sql"][:160] for q in captured.captured_queries if WRITE.match(q["sql"])]


def _stored(plan):
    """What a no-op import must leave as it was, timestamps included."""
    plan = Plan.objects.get(pk=plan.pk)
    return {
        "plan": (plan.version, plan.updated_at),
        "change sets": ChangeSet.objects.count(),
        "history": Plan.history.count(),
        "sub states": list(
            SubIndicatorState.objects.filter(plan=plan)
            .order_by("pk")
            .values_list("pk", "computed_at", "status", "value")
        ),
        "roll-ups": list(
            RollUpState.objects.filter(plan=plan)
            .order_by("pk")
            .values_list("pk", "computed_at", "status")
        ),
    }


@pytest.mark.parametrize("replace", [False, True])
def test_reimporting_the_plans_own_export_writes_nothing(demo_plan, exported, replace):
    plan_states_recompute(plan=demo_plan)
    before = _stored(demo_plan)
    assert before["sub states"]
    assert before["roll-ups"]
    with CaptureQueriesContext(connection) as captured:
        report = workbook_import(
            path=exported, plan_slug=demo_plan.slug, replace=replace, label="plan.xlsx"
        )
    assert _writes(captured) == []
    assert _stored(demo_plan) == before
    assert all(s.created == s.updated == s.removed == 0 for s in report.sheets)


def test_a_real_change_still_saves_the_plan_and_recomputes_its_states(demo_plan, exported):
    plan_states_recompute(plan=demo_plan)
    before = _stored(demo_plan)
    StackItem.objects.filter(plan=demo_plan, number=53).delete()
    workbook_import(path=exported, plan_slug=demo_plan.slug, label="plan.xlsx")
    after = _stored(demo_plan)
    assert StackItem.objects.filter(plan=demo_plan, number=53).exists()
    assert after["plan"][1] > before["plan"][1]
    assert after["change sets"] == before["change sets"] + 1
    assert ChangeSet.objects.latest("pk").label == "plan.xlsx"
    assert [s[1] for s in after["sub states"]] != [s[1] for s in before["sub states"]]


def test_a_changed_plan_sheet_alone_saves_the_plan(demo_plan, exported):
    import openpyxl

    workbook = openpyxl.load_workbook(exported)
    sheet = workbook["Plán"]
    for row in sheet.iter_rows():
        if row[0].value == "Vize":
            row[1].value = "Kraj, kde se dobře žije."
    workbook.save(exported)
    before = _stored(demo_plan)
    workbook_import(path=exported, plan_slug=demo_plan.slug)
    plan = Plan.objects.get(pk=demo_plan.pk)
    assert plan.vision == "Kraj, kde se dobře žije."
    assert (plan.version, plan.updated_at) != before["plan"]


MEASUREMENTS = (
    "Indikátor;Období od;Datum;Hodnota;Poznámka\r\n"
    "1.1;1. 1. 2021;31. 12. 2021;4 250,5;'=odhad podle webu\r\n"
    "8;;30.06.2021;2;\r\n"
    "6.1;;2022-09-01;1;Centrum otevřeno\r\n"
)


def test_reimporting_an_unchanged_measurements_csv_writes_nothing(demo_plan, tmp_path):
    path = tmp_path / "mereni.csv"
    path.write_bytes(MEASUREMENTS.encode("cp1250"))  # Czech Excel: Windows-1250, semicolons
    first = measurements_import(plan=demo_plan, path=path, source_name="Měření 2021.csv")
    assert first.created == 3
    # The export's apostrophe before formula-like text is not part of the note.
    assert Measurement.objects.get(sub_indicator__code="1.1").note == "=odhad podle webu"
    plan_states_recompute(plan=demo_plan)
    before = _stored(demo_plan)
    with CaptureQueriesContext(connection) as captured:
        again = measurements_import(plan=demo_plan, path=path, source_name="Měření 2021.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _writes(captured) == []
    assert _stored(demo_plan) == before


def test_the_admin_import_of_an_unchanged_export_writes_nothing(
    coordinator_client, demo_plan, exported
):
    plan_states_recompute(plan=demo_plan)
    before = _stored(demo_plan)
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    with exported.open("rb") as upload:
        preview = coordinator_client.post(url, {"file": upload})
    assert preview.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        done = coordinator_client.post(url, {"token": preview.context["token"]})
    assert done.status_code == 302
    # The session (the success message) may be saved; no register, history or state is.
    assert [w for w in _writes(captured) if "django_session" not in w] == []
    assert _stored(demo_plan) == before
