"""Benchmark: monitoring of a plan 100 times the demo's size with 1 000 000 measurements.

Targets (issue 3): recomputing progress for the whole plan under 10 s; the coordinator's
dashboard under 200 ms. Prints a table; not part of the test run. Uses a throw-away
SQLite database unless SMARTPLAN_DATABASE_URL points to PostgreSQL.

    .venv/bin/python benchmarks/monitoring.py [--scale 100] [--measurements 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def _timed(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    timings = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), min(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--measurements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("SMARTPLAN_DATA_DIR", tempfile.mkdtemp(prefix="smartplan-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from smartplan.demo.synthetic import synthetic_measurements_add, synthetic_plans_generate
    from smartplan.indicators.models import Measurement, SubIndicator
    from smartplan.monitoring.selectors import plan_rollups
    from smartplan.monitoring.services import plan_states_recompute

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plan = synthetic_plans_generate(plans=1, scale=args.scale, seed=2026, measurements_per_sub=0)[
        0
    ].plan
    synthetic_measurements_add(plan=plan, total=args.measurements)
    setup = time.perf_counter() - started
    subs = SubIndicator.objects.filter(plan=plan).count()
    measurements = Measurement.objects.filter(plan=plan).count()

    user = get_user_model().objects.create_superuser("bench", "b@example.invalid", "bench-pw")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    rows = []
    median, best, _ = _timed(lambda: plan_states_recompute(plan=plan), args.repeat)
    rows.append(("recompute the whole plan", median, best, "< 10 s"))
    levels = ("plan", "strategic_goal", "specific_goal", "area")
    median, best, _ = _timed(lambda: plan_rollups(plan=plan, levels=levels), args.repeat * 3)
    rows.append(("stored roll-ups (plan_rollups)", median, best, ""))

    def dashboard() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/monitoring/plan/{plan.slug}/")
        assert response.status_code == 200
        return len(queries)

    dashboard()  # warm caches and templates once
    median, best, queries = _timed(dashboard, args.repeat * 3)
    rows.append((f"dashboard page ({queries} queries)", median, best, "< 200 ms"))

    print(
        f"database: {connection.vendor}; plan scale {args.scale}: {subs} sub-indicators, "
        f"{measurements} measurements (set up in {setup:.1f} s)"
    )
    print(f"{'operation':<40} {'median':>10} {'best':>10}  target")
    for name, med, low, target in rows:
        print(f"{name:<40} {med * 1000:>8.0f}ms {low * 1000:>8.0f}ms  {target}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
