"""Benchmark: the public portal's list pages rendered uncached, at 1x, 10x and 100x.

For each data folder given (a SMARTPLAN_DATA_DIR holding ``smartplan.sqlite3`` built by
``smartplan generate-synthetic``; use a COPY of a cached set, a request may write), it runs
itself in a child process with SMARTPLAN_PORTAL_PAGE_STORE=0 (no rendered page kept, every
request renders), loads each list page once to warm up (the stored monitoring states made
current, Python's caches filled), then measures each page ``--repeat`` times in-process with
django.test.Client: the best time and the number of queries. It prints a Markdown table.

    .venv/bin/python benchmarks/portal_lists.py /tmp/x/1x1 /tmp/x/10x1 /tmp/x/100x1

Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"

# (name, path without the plan): the list pages, then a filter, a later page, English.
PAGES = [
    ("overview", ""),
    ("projects", "projekty/"),
    ("projects p.2", "projekty/?strana=2"),
    ("indicators", "indikatory/"),
    ("indicators p.2", "indikatory/?strana=2"),
    ("stack", "zasobnik/"),
    ("stack search", "zasobnik/?q=projekt&sort=-finance"),
    ("resources", "zdroje/"),
    ("steering group", "ridici-skupina/"),
]


def _measure(repeat: int) -> list[dict[str, object]]:
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from smartplan.plans.models import Plan

    plan = Plan.objects.filter(published=True).order_by("pk").first()
    assert plan is not None, "no published plan in this data set"
    client = Client()
    rows: list[dict[str, object]] = []
    for name, tail in PAGES:
        url = f"/{plan.slug}/{tail}"
        client.get(url)  # warm-up
        best = float("inf")
        queries = 0
        status = 0
        size = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - started)
            queries = len(captured.captured_queries)
            status = response.status_code
            size = len(response.content)
        rows.append(
            {"page": name, "url": url, "s": best, "q": queries, "status": status, "kb": size / 1024}
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", default=str(SRC), help="the source tree measured (a before)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_measure(args.repeat)))
        return
    results: dict[str, list[dict[str, object]]] = {}
    for folder in args.folders:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTPLAN_")}
        env.update(
            SMARTPLAN_DATA_DIR=str(Path(folder).resolve()),
            SMARTPLAN_PORTAL_PAGE_STORE="0",
            DJANGO_SETTINGS_MODULE="smartplan.settings",
            PYTHONPATH=args.src,
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--repeat", str(args.repeat)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[Path(folder).name] = json.loads(out.strip().splitlines()[-1])
    names = list(results)
    print(f"load average {os.getloadavg()[0]:.2f}; best of {args.repeat}, page store off\n")
    print("| page | " + " | ".join(f"{n} s | {n} queries | {n} KB" for n in names) + " |")
    print("|---|" + "---|---|---|" * len(names))
    for index, (page, _tail) in enumerate(PAGES):
        cells = []
        for n in names:
            row = results[n][index]
            flag = "" if row["status"] == 200 else f" ({row['status']})"
            cells.append(f"{row['s']:.3f}{flag} | {row['q']} | {row['kb']:.0f}")
        print(f"| {page} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
