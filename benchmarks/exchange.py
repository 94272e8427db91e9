"""Benchmark: Excel/CSV exchange.

Targets (issue 4): the demo plan exports and imports in under 1 s each; 100 000 measurement
rows from CSV import in under 10 s with peak memory under 500 MB. Also: a plan with 10 000
stack items. Each scenario runs in its own process so its peak memory is its own.
Uses a throw-away SQLite database unless SMARTPLAN_DATABASE_URL is set.

    .venv/bin/python benchmarks/exchange.py
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Spawned processes import this module anew: they find the folder through the environment.
WORK = Path(
    os.environ.setdefault(
        "SMARTPLAN_BENCH_WORK", tempfile.mkdtemp(prefix="smartplan-bench-exchange-")
    )
)


def _setup() -> None:
    os.environ.setdefault("SMARTPLAN_DATA_DIR", str(WORK / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()


def _measure(target: Callable[[], str], queue: Any) -> None:
    _setup()
    started = time.perf_counter()
    try:
        detail = target()
    except Exception as exc:  # report it and go on with the next scenario
        detail = f"FAILED: {exc!r}"[:200]
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, detail))


def prepare() -> str:
    from django.core.management import call_command

    from smartplan.demo.services import demo_load
    from smartplan.demo.synthetic import synthetic_plans_generate
    from smartplan.exchange.workbook_writer import plan_workbook_save
    from smartplan.indicators.models import SubIndicator
    from smartplan.plans.models import Plan

    call_command("migrate", verbosity=0)
    demo_load()
    # 10 000 stack items: about 189 times the demo's 53 (other registers grow alike).
    big = synthetic_plans_generate(plans=1, scale=189, seed=404, measurements_per_sub=0)[0].plan
    plan_workbook_save(plan=big, target=WORK / "big.xlsx")
    demo = Plan.objects.get(slug="liberec-2020")
    # Values can be entered only for measured sub-indicators (computed ones take none).
    numeric = SubIndicator.objects.filter(plan=demo, source=SubIndicator.Source.MEASURED).exclude(
        kind=SubIndicator.Kind.MILESTONE
    )
    codes = list(numeric.values_list("code", flat=True))
    lines = ["indikátor;období od;datum;hodnota;poznámka"]
    start = dt.date(2000, 1, 1)
    for n in range(100_000):
        day = start + dt.timedelta(days=n // len(codes))  # one value a day per sub-indicator
        value = f"{n % 997},5"
        # Random values are often off track, and an off-track value needs a note.
        note = "odhad"
        lines.append(f"{codes[n % len(codes)]};;{day.day}. {day.month}. {day.year};{value};{note}")
    (WORK / "measurements.csv").write_bytes("\n".join(lines).encode("cp1250"))
    return f"big plan {big.slug}"


def demo_export() -> str:
    from smartplan.exchange.workbook_writer import plan_workbook_save
    from smartplan.plans.models import Plan

    plan_workbook_save(plan=Plan.objects.get(slug="liberec-2020"), target=WORK / "demo.xlsx")
    return "demo plan → XLSX"


def demo_import() -> str:
    from smartplan.exchange.plan_import import workbook_import

    report = workbook_import(path=WORK / "demo.xlsx")
    return f"XLSX → demo plan ({sum(s.unchanged for s in report.sheets)} rows unchanged)"


def demo_import_fresh() -> str:
    from smartplan.exchange.plan_import import workbook_import
    from smartplan.plans.models import Plan

    Plan.objects.filter(slug="liberec-2020").delete()
    report = workbook_import(path=WORK / "demo.xlsx")
    return f"XLSX → empty instance ({sum(s.created for s in report.sheets)} rows created)"


def big_export() -> str:
    from smartplan.exchange.workbook_writer import plan_workbook_save
    from smartplan.plans.models import Plan

    plan = Plan.objects.exclude(slug="liberec-2020").get()
    plan_workbook_save(plan=plan, target=WORK / "big2.xlsx")
    return "10 017 stack items plan → XLSX"


def big_import() -> str:
    from smartplan.exchange.plan_import import workbook_import

    report = workbook_import(path=WORK / "big.xlsx")
    rows = sum(s.unchanged + s.created + s.updated for s in report.sheets)
    return f"XLSX → 10 017 stack items plan ({rows} rows)"


def measurements() -> str:
    from smartplan.exchange.measurements_csv import measurements_import
    from smartplan.plans.models import Plan

    result = measurements_import(
        plan=Plan.objects.get(slug="liberec-2020"), path=WORK / "measurements.csv"
    )
    return f"100 000 CSV rows (cp1250, ;) → {result.created} new measurements"


SCENARIOS: list[tuple[str, Callable[[], str], str]] = [  # in this order: each uses the last
    ("prepare data", prepare, ""),
    ("demo export", demo_export, "< 1 s"),
    ("demo import (same plan)", demo_import, "< 1 s"),
    ("demo import (empty instance)", demo_import_fresh, "< 1 s"),
    ("10 000 stack items: export", big_export, ""),
    ("10 000 stack items: import", big_import, ""),
    ("100 000 measurements from CSV", measurements, "< 10 s, < 500 MB"),
]


def main() -> None:
    context = multiprocessing.get_context("spawn")
    print(f"{'scenario':<34} {'seconds':>8} {'peak MB':>8}  target   detail")
    for name, target, goal in SCENARIOS:
        queue = context.Queue()
        process = context.Process(target=_measure, args=(target, queue))
        process.start()
        seconds, peak, detail = queue.get()
        process.join()
        print(f"{name:<34} {seconds:>8.2f} {peak:>8.0f}  {goal:<8} {detail}")


if __name__ == "__main__":
    main()
