"""Killed between a write's commit and the recompute, the plan's states are still right.

Each test writes in a process of its own that ends (``os._exit``) at the crash point
``before-states-recompute``: the registers are committed, the after-commit recompute never
runs. A whole plan's writer (demo fixture, workbook) stores the states in its own
transaction, so there is no window; a measurements import leaves the plan marked stale.
Another process then opens the dashboard as a coordinator would and reports what it
shows: the true states, stored by the writer or recomputed by that read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from smartplan.core.crash_points import CRASH_EXIT_CODE
from smartplan.monitoring.tests.crash_processes import CrashDatabase

CRASH_AT = "before-states-recompute"
CSV = "indikátor;datum;hodnota;poznámka\n1.1;31. 12. 2021;5000;odhad z polovičního roku\n"

# What the plan looks like before anyone reads it, then what the dashboard shows, then the
# same after a full recompute from scratch (the truth), in one process.
LOOK = """
import re
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from smartplan.indicators.models import SubIndicator
from smartplan.monitoring.freshness import plan_states_are_current
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan

plan = Plan.objects.get(slug="liberec-2020")
sub = SubIndicator.objects.get(plan=plan, code="1.1")

def states():
    state = SubIndicatorState.objects.filter(sub_indicator=sub).first()
    return {
        "count": SubIndicatorState.objects.filter(plan=plan).count(),
        "rollups": RollUpState.objects.filter(plan=plan).count(),
        "value_1_1": None if state is None or state.value is None else str(state.value),
        "progress_1_1": None if state is None or state.progress is None else str(state.progress),
    }

def dashboard():
    page = client.get(
        reverse("monitoring:dashboard", args=[plan.slug]), HTTP_HOST="localhost"
    ).content.decode()
    return {
        "not_computed": "Zatím nespočteno" in page,
        "overdue": re.findall(r"(\\d+) hodno\\w+ (?:je|jsou) po termínu", page),
        "states": states(),
    }

before = {"current": plan_states_are_current(plan=plan), "states": states()}
user = User.objects.create_superuser("koordinator", "k@example.invalid", "heslo")
client = Client(HTTP_ACCEPT_LANGUAGE="cs")
client.force_login(user)
read = dashboard()
read["current"] = plan_states_are_current(plan=plan)
SubIndicatorState.objects.filter(plan=plan).delete()
RollUpState.objects.filter(plan=plan).delete()
plan_states_recompute(plan=plan)
print(json.dumps({"before": before, "read": read, "truth": dashboard()}))
"""


def _crashed(done: object) -> None:
    assert getattr(done, "returncode", None) == CRASH_EXIT_CODE, getattr(done, "stderr", "")


def test_a_plan_loaded_by_a_killed_process_has_true_states_on_the_first_read(
    migrated_database: CrashDatabase, fresh_copy: Callable[[CrashDatabase], CrashDatabase]
) -> None:
    database = fresh_copy(migrated_database)
    _crashed(database.smartplan("load-demo", crash_at=CRASH_AT))
    seen = database.python(LOOK)
    # The one plan writer stores the states in the registers' own transaction: killed after
    # the commit, the plan already has its true states; nothing waited for a recompute.
    assert seen["before"] == {"current": True, "states": seen["truth"]["states"]}
    # The dashboard shows them: the true figures, not "Zatím nespočteno", not "0 ...".
    read = seen["read"]
    assert read["current"] is True
    assert read["not_computed"] is False
    assert read == {**seen["truth"], "current": True}
    assert read["states"]["count"] == 12
    assert read["overdue"]
    assert read["overdue"] != ["0"]


def test_values_imported_by_a_killed_process_show_on_the_next_read(
    demo_database: CrashDatabase,
    fresh_copy: Callable[[CrashDatabase], CrashDatabase],
    tmp_path: Path,
) -> None:
    database = fresh_copy(demo_database)
    values = tmp_path / "hodnoty.csv"
    values.write_text(CSV, encoding="cp1250")
    done = database.smartplan(
        "import-measurements", "--plan", "liberec-2020", str(values), crash_at=CRASH_AT
    )
    _crashed(done)
    seen = database.python(LOOK)
    # The stored states are those from before the import, and they are known to be stale.
    assert seen["before"]["current"] is False
    assert seen["before"]["states"]["count"] == 12
    assert seen["before"]["states"]["value_1_1"] is None
    # The dashboard's read recomputed them with the imported value: 5000 of 10000 is 50 %.
    read = seen["read"]
    assert read["current"] is True
    assert read["states"]["value_1_1"] == "5000.0000"
    assert read["states"]["progress_1_1"] == "0.5000"
    assert read == {**seen["truth"], "current": True}


def test_a_workbook_imported_by_a_killed_process_has_true_states_on_the_first_read(
    demo_database: CrashDatabase,
    migrated_database: CrashDatabase,
    fresh_copy: Callable[[CrashDatabase], CrashDatabase],
    tmp_path: Path,
) -> None:
    workbook = tmp_path / "plan.xlsx"
    exported = demo_database.smartplan("export", "--plan", "liberec-2020", "-o", str(workbook))
    assert exported.returncode == 0, exported.stderr
    database = fresh_copy(migrated_database)
    _crashed(database.smartplan("import", str(workbook), crash_at=CRASH_AT))
    seen = database.python(LOOK)
    # Stored with the registers in one transaction, as for the demo fixture above.
    assert seen["before"] == {"current": True, "states": seen["truth"]["states"]}
    read = seen["read"]
    assert read["not_computed"] is False
    assert read["states"]["count"] == 12
    assert read == {**seen["truth"], "current": True}
