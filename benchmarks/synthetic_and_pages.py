"""Benchmark: synthetic plan generation and editing-interface pages at growing scale.

Prints a table; not part of the test run. Uses a throw-away SQLite database unless
SMARTPLAN_DATABASE_URL points elsewhere (then it writes synthetic plans there).

    .venv/bin/python benchmarks/synthetic_and_pages.py [--scales 1 10 100]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("SMARTPLAN_DATA_DIR", tempfile.mkdtemp(prefix="smartplan-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from smartplan.demo.synthetic import synthetic_plans_generate

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "b@example.invalid", "bench-pass")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages = [
        ("stack list", "/admin/stack/stackitem/"),
        ("projects list", "/admin/projects/flagshipproject/"),
        ("measurements list", "/admin/indicators/measurement/"),
    ]
    print(f"database: {connection.vendor}")
    print(
        f"{'scale':>6} {'rows':>10} {'generate s':>11} {'rows/s':>9} | "
        + " | ".join(f"{name} ms (queries)" for name, _ in pages)
    )
    for seed, scale in enumerate(args.scales, start=100):
        started = time.perf_counter()
        summary = synthetic_plans_generate(plans=1, scale=scale, seed=seed)[0]
        elapsed = time.perf_counter() - started
        rows = sum(summary.counts.values())
        cells = []
        for _, url in pages:
            timings = []
            for _ in range(args.repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url, {"plan__id__exact": summary.plan.pk})
                    timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            cells.append(f"{statistics.median(timings):8.1f} ({len(queries):>2})")
        print(
            f"{scale:>6} {rows:>10} {elapsed:>11.2f} {rows / elapsed:>9.0f} | " + " | ".join(cells)
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
