"""Benchmark: the coordinator's dashboard and the portal's pages against bare Django views.

Target (issue 13): the dashboard and the public portal's pages answer at least 20 % of the
requests per second of a bare Django view, measured in the same run (20 connections,
gunicorn with 2 sync workers), and their p95 grows little with the plan (issue 13: at
national size within 1.5× the demo's).

In one run, for each data set (the demo; a synthetic plan 100× the demo,
``smartplan generate-synthetic --scale 100``; ``--national`` adds 20 plans 50× the demo):

1. builds it in a SQLite file of the cache folder (or reuses it), or in PostgreSQL when
   ``SMARTPLAN_DATABASE_URL`` is set (run under ``scripts/with-postgres``); creates the
   account ``bench-coordinator``, the coordinator of the measured plan, and logs it in
   (a session row; its cookie is sent with the dashboard's requests);
2. serves smartplan with gunicorn (2 sync workers, SMARTPLAN_DEBUG=0) with
   ``bench_floor_site`` settings: smartplan's own, plus ``/bench-floor/``, a fixed string
   behind all of smartplan's middleware for a logged-in user (the floor of any logged-in
   page: sessions, authentication, OTP, the login lockout); and ``bare_django_site.py``
   (no middleware, no database) with gunicorn, 2 sync workers;
3. loads the bare view, the floor, the dashboard (logged in) and the portal's pages
   (anonymous) with N connections, the bare view first and last; with ``--rendered`` once
   more with SMARTPLAN_PORTAL_PAGE_STORE=0 (no body or page kept per plan version);
4. prints a Markdown table (req/s, p50, p95, × bare, × floor, p95 × the demo's) and
   appends it to benchmarks/RESULTS-dashboard.md (unless ``--no-record``).

    .venv/bin/python benchmarks/dashboard_throughput.py [--quick] [--rendered] [--national]
    bash scripts/with-postgres .venv/bin/python benchmarks/dashboard_throughput.py --national
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api_throughput import (  # type: ignore[import-not-found]
    Target,
    _git,
    _gunicorn,
    _run,
    _smartplan_env,
    load_measure,
    machine,
    served,
)
from portal_throughput import _rate, _status  # type: ignore[import-not-found]

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-dashboard.md"
TARGET_BARE = 0.2
USER = "bench-coordinator"

SETUP = f"""
import sys, django
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from smartplan.access.models import PlanRole
from smartplan.plans.models import Plan
from smartplan.projects.models import FlagshipProject
from smartplan.indicators.models import Indicator
plan = Plan.objects.get(slug=sys.argv[1])
user, _ = User.objects.get_or_create(username={USER!r}, defaults={{"is_staff": True}})
PlanRole.objects.get_or_create(plan=plan, user=user, role="coordinator")
client = Client()
client.force_login(user)
project = FlagshipProject.objects.filter(plan=plan).order_by("number").first()
indicator = Indicator.objects.filter(plan=plan).order_by("number").first()
print(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value,
      project.number if project else 1, indicator.pk if indicator else 1)
"""


@dataclass
class DataSet:
    name: str  # "demo", "100×", "national"
    build: list[list[str]]  # smartplan commands after migrate
    slug: str  # the plan measured


DEMO = DataSet("demo", [["load-demo"]], "liberec-2020")
LARGE = DataSet("100×", [["generate-synthetic", "--scale", "100"]], "synteticky-1-1")
NATIONAL = DataSet(
    "national (20 × 50×)",
    [["generate-synthetic", "--plans", "20", "--scale", "50"]],
    "synteticky-1-1",
)


@dataclass
class Row:
    data: str
    page: str
    rendered: bool
    rps: float
    p50: float
    p95: float
    errors: int
    bare_rps: float
    floor_rps: float


def _pages(slug: str, project: str, indicator: str) -> list[tuple[str, str, bool]]:
    """(name, path, logged in)."""
    return [
        ("floor: bare view, all middleware, logged in", "/bench-floor/", True),
        ("dashboard (coordinator)", f"/monitoring/plan/{slug}/", True),
        ("dashboard, 2nd page of indicators", f"/monitoring/plan/{slug}/?indicators_page=2", True),
        ("portal: home", "/", False),
        ("portal: plan overview", f"/{slug}/", False),
        ("portal: project list", f"/{slug}/projekty/", False),
        ("portal: project detail", f"/{slug}/projekty/{project}/", False),
        ("portal: project stack", f"/{slug}/zasobnik/", False),
        ("portal: indicator list", f"/{slug}/indikatory/", False),
        ("portal: indicator detail", f"/{slug}/indikatory/{indicator}/", False),
    ]


def data_build(
    args: argparse.Namespace, data: DataSet, log_dir: Path
) -> tuple[dict[str, str], list[str]]:
    """The environment serving ``data`` and the setup's output (cookie, project, indicator)."""
    src = args.src.resolve()
    migrations = sorted(str(p.relative_to(src)) for p in src.glob("smartplan/*/migrations/*.py"))
    key = hashlib.sha256(json.dumps([data.build, migrations]).encode()).hexdigest()[:10]
    folder = args.cache / f"{data.name.split()[0]}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    env = _smartplan_env(src, folder)
    if os.environ.get("SMARTPLAN_DATABASE_URL"):
        env["SMARTPLAN_DATABASE_URL"] = os.environ["SMARTPLAN_DATABASE_URL"]
    env["PYTHONPATH"] = f"{src}{os.pathsep}{BENCH}"
    smartplan = [sys.executable, "-m", "smartplan.cli"]
    done = folder / "built"
    with (log_dir / f"build-{folder.name}.log").open("a") as log:
        _run([*smartplan, "migrate", "--verbosity", "0"], env, log)
        if not done.exists() or "SMARTPLAN_DATABASE_URL" in env:
            for command in data.build:
                _run([*smartplan, *command], env, log)
            done.touch()
    output = subprocess.run(
        [sys.executable, "-c", SETUP, data.slug],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return env, output


def measure(args: argparse.Namespace, data: DataSet, log_dir: Path) -> list[Row]:
    started = time.perf_counter()
    env, (cookie_name, cookie, project, indicator) = data_build(args, data, log_dir)
    print(f"  {data.name}: ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    env["DJANGO_SETTINGS_MODULE"] = "bench_floor_site"
    bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["PYTHONPATH"] = str(BENCH)
    session = (("Cookie", f"{cookie_name}={cookie}"),)
    rows: list[Row] = []
    with served(
        "bare Django", _gunicorn("bare_django_site:application"), bare_env, "/", log_dir
    ) as bare_base:
        bare = Target("bare Django", "", "", f"{bare_base}/", 1)
        for rendered in [False, True] if args.rendered else [False]:
            server_env = {**env, "SMARTPLAN_PORTAL_PAGE_STORE": "0" if rendered else "1"}
            with served(
                "smartplan", _gunicorn("smartplan.wsgi:application"), server_env, "/", log_dir
            ) as base:
                targets = []
                for name, path, logged_in in _pages(data.slug, project, indicator):
                    headers = session if logged_in else ()
                    status, _headers = _status(base + path, dict(headers))
                    if status != 200:
                        print(f"  {data.name}: {name} answers {status}; left out", file=sys.stderr)
                        continue
                    targets.append(
                        (name, Target("smartplan", name, "", base + path, 1, headers=headers))
                    )
                rates: dict[str, list[tuple[float, Any]]] = {}
                for number in range(args.rounds):
                    for name, target in [("bare", bare), *targets, ("bare", bare)]:
                        load = load_measure(target, args.connections, args.duration, args.warm_up)
                        rate, errors = _rate(load, 200)
                        rates.setdefault(name, []).append((rate, load))
                        print(
                            f"  {data.name}{' rendered' if rendered else ''} {number + 1}: {name}: "
                            f"{rate:.1f} req/s, p95 {load.percentile(95):.0f} ms, {errors} errors",
                            file=sys.stderr,
                        )

                def median(name: str, rates: dict[str, list[tuple[float, Any]]] = rates) -> Any:
                    measured = sorted(rates[name], key=lambda m: m[0])
                    return measured[len(measured) // 2]

                bare_rps, bare_load = median("bare")
                floor_rps = median(targets[0][0])[0] if targets else 0.0
                rows.append(
                    Row(
                        data.name,
                        "bare Django view (no middleware, no database)",
                        rendered,
                        bare_rps,
                        bare_load.percentile(50),
                        bare_load.percentile(95),
                        _rate(bare_load, 200)[1],
                        bare_rps,
                        floor_rps,
                    )
                )
                for name, _target in targets:
                    rate, load = median(name)
                    rows.append(
                        Row(
                            data.name,
                            name,
                            rendered,
                            rate,
                            load.percentile(50),
                            load.percentile(95),
                            _rate(load, 200)[1],
                            bare_rps,
                            floor_rps,
                        )
                    )
    return rows


def _fmt(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ") if number >= 100 else f"{number:.1f}"


def table(rows: list[Row]) -> tuple[str, int]:
    demo_p95 = {(r.page, r.rendered): r.p95 for r in rows if r.data == "demo"}
    lines = [
        "| data | page | req/s | p50 ms | p95 ms | errors | × bare | × floor | p95 × demo "
        "| target |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    missed = 0
    for r in rows:
        ratio = r.rps / r.bare_rps if r.bare_rps else 0.0
        floor = r.rps / r.floor_rps if r.floor_rps else 0.0
        growth = (
            r.p95 / demo_p95[(r.page, r.rendered)] if demo_p95.get((r.page, r.rendered)) else 0.0
        )
        verdict = ""
        if r.page.startswith(("dashboard", "portal")):
            if r.rendered:
                verdict = "(rendered every request, no target)"
            else:
                ok = ratio >= TARGET_BARE and not r.errors
                missed += 0 if ok else 1
                verdict = f"≥ 20% {'pass' if ok else 'FAIL'}"
        page = r.page + (", store off" if r.rendered else "")
        lines.append(
            f"| {r.data} | {page} | {_fmt(r.rps)} | {r.p50:.0f} | {r.p95:.0f} | {r.errors} "
            f"| {ratio:.2f} | {floor:.2f} | {growth:.2f} | {verdict} |"
        )
    return "\n".join(lines), missed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", type=Path, default=BENCH.parent / "src")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--warm-up", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--rendered", action="store_true", help="also with SMARTPLAN_PORTAL_PAGE_STORE=0"
    )
    parser.add_argument("--national", action="store_true", help="also 20 plans 50× the demo")
    parser.add_argument("--no-large", action="store_true", help="skip the 100× plan")
    parser.add_argument("--quick", action="store_true", help="2 s a line, nothing recorded")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "smartplan-bench-dashboard"
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warm_up, args.no_record = 2.0, 0.5, True
    database = "PostgreSQL" if os.environ.get("SMARTPLAN_DATABASE_URL") else "SQLite"
    if database == "PostgreSQL":
        args.cache = args.cache / "postgres"
    started = time.perf_counter()
    described = machine()
    log_dir = Path(tempfile.mkdtemp(prefix="smartplan-bench-dashboard-"))
    sets = [DEMO] + ([] if args.no_large else [LARGE]) + ([NATIONAL] if args.national else [])
    rows: list[Row] = []
    for data in sets:
        rows += measure(args, data, log_dir)
    text, missed = table(rows)
    revision = _git(args.src, "rev-parse", "--short", "HEAD") or "?"
    dirty = " (uncommitted changes)" if _git(args.src, "status", "--porcelain", "--", ".") else ""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n".join(
        [
            f"## {when}: {database}" + (f", {args.label}" if args.label else ""),
            "",
            f"- Measured: {args.src.resolve()} at {revision}{dirty}",
            f"- Machine: {described}",
            f"- Load: {args.connections} connections, {args.duration:g} s per line after "
            f"{args.warm_up:g} s warm-up, median of {args.rounds} round(s); gunicorn 2 sync "
            "workers; dashboard as the plan's coordinator (session cookie), portal anonymous",
            f"- Run took {time.perf_counter() - started:.0f} s; {missed} target(s) missed",
            "",
            text,
            "",
        ]
    )
    print(report)
    if not args.no_record:
        if not RESULTS.exists():
            RESULTS.write_text(
                "# Dashboard and portal throughput (benchmarks/dashboard_throughput.py)\n\n"
                "Each run appends a section. Target (issue 13): the dashboard and every portal "
                "page ≥ 20 % of a bare Django view's requests/s in the same run; p95 at national "
                "size within 1.5× the demo's.\n\n",
                encoding="utf-8",
            )
        with RESULTS.open("a", encoding="utf-8") as results_file:
            results_file.write(report + "\n")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
