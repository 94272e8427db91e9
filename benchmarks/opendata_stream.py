"""Benchmark: streaming a large open data CSV (issue 11, part 4: 1 000 000 measurements
without holding them in memory).

In a fresh SQLite database (a temporary data directory) it creates a published plan with
one indicator of 100 sub-indicators and N measurements (default 1 000 000, bulk inserts),
then downloads ``/data/<plan>/mereni.csv`` and ``.json`` through Django's request handler
and reads the streamed body chunk by chunk. It prints the time to the first chunk, the total
time, the size, the rows, and the peak of Python's traced memory while streaming
(``tracemalloc``, which also slows the run). Not part of the test run.

    .venv/bin/python benchmarks/opendata_stream.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ["SMARTPLAN_DATA_DIR"] = tempfile.mkdtemp(prefix="opendata-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from smartplan.indicators.models import Indicator, Measurement, SubIndicator
    from smartplan.plans.models import Area, Plan

    call_command("migrate", verbosity=0)
    plan = Plan.objects.create(
        name="Benchmark",
        slug="benchmark",
        territory_name="Kraj",
        period_from=2020,
        period_to=2030,
        published=True,
    )
    Area.objects.create(plan=plan, name="Oblast")
    indicator = Indicator.objects.create(plan=plan, number=1, name="Indikátor")
    subs = [
        SubIndicator.objects.create(plan=plan, indicator=indicator, code=f"1.{n}", name=f"S{n}")
        for n in range(1, 101)
    ]
    per_sub = args.rows // len(subs)
    start = dt.date(1800, 1, 1)
    began = time.perf_counter()
    # Raw inserts: model instances would make building the data the slow part.
    table = Measurement._meta.db_table
    now = dt.datetime.now(dt.UTC).isoformat()
    sql = (
        f"INSERT INTO {table} (created_at, updated_at, version, plan_id, sub_indicator_id, "
        "date, value, note, status) VALUES (%s, %s, 1, %s, %s, %s, %s, '', 'final')"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for sub in subs:
            cursor.executemany(
                sql,
                [
                    (now, now, plan.pk, sub.pk, (start + dt.timedelta(days=n)).isoformat(),
                     str(Decimal(n) / 8))
                    for n in range(per_sub)
                ],
            )  # fmt: skip
    total = Measurement.objects.filter(plan=plan).count()
    print(f"inserted {total} measurements in {time.perf_counter() - began:.1f} s")
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 benchmark", HTTP_HOST="127.0.0.1")
    client.get("/data/benchmark/zdroje.csv")  # warm-up: the URL configuration, imports
    print(
        "| format | rows | MB | first chunk (ms) | total (s) | rows/s | peak traced memory (MB) |"
    )
    print("|---|---|---|---|---|---|---|")
    for fmt in ("csv", "json"):
        tracemalloc.start()
        began = time.perf_counter()
        response = client.get(f"/data/benchmark/mereni.{fmt}")
        chunks = iter(response.streaming_content)
        first = next(chunks)
        first_at = time.perf_counter() - began
        size, lines = len(first), first.count(b"\n")
        for chunk in chunks:
            size += len(chunk)
            lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - began
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows = lines - (1 if fmt == "csv" else 2)
        print(
            f"| {fmt} | {rows} | {size / 1e6:.1f} | {first_at * 1000:.0f} | {elapsed:.1f} "
            f"| {rows / elapsed:,.0f} | {peak / 1e6:.1f} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
