"""Benchmark: logged-in pages of one or more checkouts against a bare Django view, one run.

Issue 13 asks the dashboard and the editing interface's lists for at least 20 % of a bare
Django view's requests/s. This script shows where a checkout stands and what a change
gained, side by side in one run (the machine is shared: only ratios of one run compare):

1. copies the SQLite database of a data folder (``--data``, e.g. one of
   ``$TMPDIR/smartplan-bench-suite/sqlite-*``) into a temporary folder, because logging in
   writes sessions; or, when ``SMARTPLAN_DATABASE_URL`` is set (under
   ``scripts/with-postgres``), uses that PostgreSQL database (its own, never a shared
   one: sessions are written there), and ``--generate "--plans 20 --scale 1"`` fills it
   with ``smartplan generate-synthetic`` when it holds no plan yet; creates
   ``bench-floor-coordinator`` (coordinator of the plan with the most stack items) and
   ``bench-floor-admin`` (superuser) there, and their sessions;
2. serves ``bare_django_site.py`` (gunicorn, 2 sync workers) and, one checkout after the
   other (``--src``, repeatable), smartplan with ``bench_floor_site`` settings (its own
   settings and ``/bench-floor/``: a fixed string behind all of smartplan's middleware for a
   logged-in user) on the copy;
3. loads each page with 20 connections; the bare view before, between and after the
   checkouts; prints a Markdown table with requests/s, p50, p95 and the ratio to the bare
   view (the median of its runs, and the mean of the runs just before and after);
4. ``--in-process``: also each page through Django's WSGI handler in this machine's
   Python, ms per request (median and best of ``--repeat``) and SQL queries.

    .venv/bin/python benchmarks/logged_in_floor.py --data DIR --src ../main/src --src src
    bash scripts/with-postgres .venv/bin/python benchmarks/logged_in_floor.py \
        --generate "--plans 1 --scale 1" --page /bench-floor/ --page /monitoring/ \
        --src ../main/src --src src

``--page`` (repeatable) keeps the pages whose address starts with it (default: all).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# PostgreSQL instead of a copy of the SQLite file (scripts/with-postgres sets it).
DATABASE_URL = os.environ.get("SMARTPLAN_DATABASE_URL", "")

PAGES = [
    ("coordinator", "/bench-floor/"),
    ("coordinator", "/monitoring/plan/SLUG/"),
    ("superuser", "/admin/auth/group/"),
    ("coordinator", "/admin/stack/stackitem/"),
    ("coordinator", "/admin/indicators/measurement/"),
]

# The CSRF cookie a browser holds after its first page, sent with every request (a page with
# a form then masks this secret instead of making a new one and setting the cookie).
CSRF = secrets.token_hex(16)

SQLITE_FILES = ("smartplan.sqlite3", "smartplan.sqlite3-wal", "smartplan.sqlite3-shm", "secret_key")
HAS_PLAN = """
import django
django.setup()
from smartplan.plans.models import Plan
print(Plan.objects.count())
"""

SETUP = """
import json, sys, django
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count
from django.test import Client
from smartplan.access.models import PlanRole
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem
big = StackItem.objects.values("plan").annotate(n=Count("id")).order_by("-n").first()
plan = Plan.objects.get(pk=big["plan"]) if big else Plan.objects.first()
admin = User.objects.filter(username="bench-floor-admin").first() or User.objects.create_superuser(
    "bench-floor-admin", "a@example.invalid", "bench-floor-pass")
coordinator, _ = User.objects.get_or_create(username="bench-floor-coordinator",
                                            defaults={"is_staff": True})
PlanRole.objects.get_or_create(plan=plan, user=coordinator, role="coordinator")
cookies = {}
for role, user in (("superuser", admin), ("coordinator", coordinator)):
    client = Client()
    client.force_login(user)
    cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"name": settings.SESSION_COOKIE_NAME, "cookies": cookies, "slug": plan.slug}))
"""

IN_PROCESS = """
import io, json, statistics, sys, time, django
django.setup()
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test.utils import CaptureQueriesContext
pages, cookie_name, cookies, repeat, csrf = json.loads(sys.argv[1])
app = get_wsgi_application()
out = []
for role, url in pages:
    path, _, query = url.partition("?")
    def one():
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
                   "HTTP_COOKIE": f"{cookie_name}={cookies[role]}; csrftoken={csrf}",
                   "HTTP_ACCEPT_LANGUAGE": "cs",
                   "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(b""),
                   "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.multithread": False,
                   "wsgi.multiprocess": True, "wsgi.run_once": False}
        status = []
        result = app(environ, lambda s, h, e=None: status.append(s))
        body = b"".join(result)
        result.close()
        return status[0], body
    for _ in range(2):
        one()
    queries = 0
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status, body = one()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    out.append({"ms": statistics.median(times), "best": min(times), "queries": queries,
                "status": status, "bytes": len(body)})
print(json.dumps(out))
"""


def _env(src: Path, folder: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SMARTPLAN_") and k != "DJANGO_SETTINGS_MODULE"
    }
    if DATABASE_URL:
        env["SMARTPLAN_DATABASE_URL"] = DATABASE_URL
    env.update(
        PYTHONPATH=f"{src}{os.pathsep}{BENCH}",
        SMARTPLAN_DATA_DIR=str(folder),
        SMARTPLAN_DEBUG="0",
        DJANGO_SETTINGS_MODULE="bench_floor_site",
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, help="a data folder to copy (SQLite; not with PostgreSQL)"
    )
    parser.add_argument(
        "--generate",
        default="",
        help="PostgreSQL: generate-synthetic arguments when the database has no plan yet, "
        'e.g. "--plans 20 --scale 1"',
    )
    parser.add_argument("--page", action="append", default=[], help="address prefix to keep")
    parser.add_argument("--src", type=Path, action="append", required=True)
    parser.add_argument("--duration", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from api_throughput import (  # type: ignore[import-not-found]
        Target,
        _gunicorn,
        load_measure,
        served,
    )

    if not DATABASE_URL and args.data is None:
        parser.error("--data is needed on SQLite (SMARTPLAN_DATABASE_URL is not set)")
    folder = Path(tempfile.mkdtemp(prefix="smartplan-bench-floor-"))
    names = ("secret_key",) if DATABASE_URL else SQLITE_FILES
    for name in names if args.data else ():
        if (args.data / name).exists():
            shutil.copy2(args.data / name, folder / name)
    for name in ("media", "static"):
        (folder / name).mkdir(exist_ok=True)
    srcs = [src.resolve() for src in args.src]
    smartplan = [sys.executable, "-m", "smartplan.cli", "migrate", "--verbosity", "0"]
    subprocess.run(smartplan, env=_env(srcs[-1], folder), check=True)
    if DATABASE_URL and args.generate:
        empty = (
            subprocess.run(
                [sys.executable, "-c", HAS_PLAN],
                env=_env(srcs[-1], folder),
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            == "0"
        )
        if empty:
            generate = [*smartplan[:3], "generate-synthetic", *args.generate.split()]
            subprocess.run(generate, env=_env(srcs[-1], folder), check=True)
    found = json.loads(
        subprocess.run(
            [sys.executable, "-c", SETUP],
            env=_env(srcs[-1], folder),
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    pages = [
        (role, path.replace("SLUG", found["slug"]))
        for role, path in PAGES
        if not args.page or any(path.startswith(prefix) for prefix in args.page)
    ]
    where = "PostgreSQL" if DATABASE_URL else f"copy of {args.data}"
    print(f"data: {where}; load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    in_process: dict[Path, list[dict[str, object]]] = {}
    if args.in_process:
        for src in srcs:
            argument = json.dumps([pages, found["name"], found["cookies"], args.repeat, CSRF])
            done = subprocess.run(
                [sys.executable, "-c", IN_PROCESS, argument],
                env=_env(src, folder),
                check=True,
                capture_output=True,
                text=True,
            )
            in_process[src] = json.loads(done.stdout.strip().splitlines()[-1])
    logs = Path(tempfile.mkdtemp(prefix="smartplan-bench-floor-logs-"))
    bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["PYTHONPATH"] = str(BENCH)
    bares: list[float] = []
    rows = []
    start_load = os.getloadavg()[0]
    with served("bare", _gunicorn("bare_django_site:application"), bare_env, "/", logs) as b:
        bare = Target("bare", "", "", b + "/", 1)

        def bare_run() -> None:
            bares.append(load_measure(bare, args.connections, args.duration, 1.0).rps)
            print(f"  bare: {bares[-1]:.0f} req/s", file=sys.stderr)

        bare_run()
        for src in srcs:
            command = _gunicorn("smartplan.wsgi:application")
            with served("smartplan", command, _env(src, folder), "/", logs) as base:
                for role, path in pages:
                    cookie = f"{found['name']}={found['cookies'][role]}; csrftoken={CSRF}"
                    target = Target("smartplan", path, "", base + path, 1, (("Cookie", cookie),))
                    load = load_measure(target, args.connections, args.duration, 1.0)
                    rows.append((src, role, path, load, len(bares) - 1))
                    print(f"  {src}: {path}: {load.rps:.1f} req/s", file=sys.stderr)
            bare_run()
    bare_rps = statistics.median(bares)
    print(
        f"{where}; {args.connections} connections, {args.duration:g} s a page, "
        "gunicorn 2 sync workers; "
        f"load average {start_load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; "
        f"bare view {bare_rps:.0f} req/s (median of {', '.join(f'{x:.0f}' for x in bares)})\n"
    )
    print(
        "| checkout | page | user | req/s | p50 ms | p95 ms | errors | × bare | × bare beside "
        "| in process ms (best) | queries |"
    )
    print("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for src, role, path, load, before in rows:
        beside = (bares[before] + bares[before + 1]) / 2
        measured = in_process.get(src)
        cell, queries = "–", "–"
        if measured:
            found_page = measured[pages.index((role, path))]
            cell = f"{found_page['ms']:.1f} ({found_page['best']:.1f})"
            queries = str(found_page["queries"])
        print(
            f"| {src.parent.name}/{src.name} | {path} | {role} | {load.rps:.1f} "
            f"| {load.percentile(50):.0f} | {load.percentile(95):.0f} | {load.errors} "
            f"| {load.rps / bare_rps:.3f} | {load.rps / beside:.3f} | {cell} | {queries} |"
        )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
