"""Benchmark: every list page of the editing interface (Django admin) at the demo's size and
at 100 times it; optionally the stack and measurements lists under gunicorn against a bare
Django view. Prints Markdown tables; not part of the test run.

    .venv/bin/python benchmarks/admin_lists.py                      # build (or reuse) and time
    .venv/bin/python benchmarks/admin_lists.py --throughput         # and the gunicorn load
    .venv/bin/python benchmarks/admin_lists.py --demo DIR --large DIR   # data folders to reuse

What one run does:

1. **Data**, each in a SMARTPLAN_DATA_DIR of its own (SQLite), built when the folder has no
   ``built`` mark: the demo (``smartplan load-demo``) and a synthetic plan 100 times it
   (``smartplan generate-synthetic --scale 100 --measurements-per-sub-indicator 556``: the
   issue's 982 452 measurements; several minutes). ``smartplan migrate`` runs every time.
2. **In-process timing**, in a child process per data set (Django is set up once per
   process): every ModelAdmin of smartplan's apps, its list page (``changelist``) fetched
   with Django's test client as a superuser and as a coordinator of the largest plan
   (a ``coordinator`` role, the way a regional office works); once to warm up, then
   ``--repeat`` times. Median milliseconds, SQL queries and bytes of the answer.
3. **Throughput** (``--throughput``): smartplan under gunicorn (2 sync workers, as
   ``smartplan serve``) on the large data set, and ``bare_django_site.py`` beside it;
   20 connections for ``--duration`` seconds each, the bare view before and after the
   pages; the admin's own floor is the empty list of Django's user groups (no rows, no
   filters: what any admin list costs before it reads a register).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"


# ------------------------------------------------------------------------ child: in process


def _users() -> dict[str, Any]:
    """The superuser and a coordinator of the plan with the most stack items."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from smartplan.access.services import plan_role_grant
    from smartplan.plans.models import Plan
    from smartplan.stack.models import StackItem

    model = get_user_model()
    admin = model.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = model.objects.create_superuser("bench-admin", "a@example.invalid", "bench-pass")
    coordinator, _created = model.objects.get_or_create(username="bench-coordinator")
    biggest = StackItem.objects.values("plan").annotate(n=Count("id")).order_by("-n").first()
    plan = Plan.objects.filter(pk=biggest["plan"]).first() if biggest else Plan.objects.first()
    assert plan is not None, "no plan in the data set"
    plan_role_grant(plan=plan, user=coordinator, role="coordinator")
    return {"superuser": admin, "coordinator": coordinator, "plan": plan}


def _changelists() -> list[tuple[str, str]]:
    from django.contrib import admin
    from django.urls import reverse

    found = []
    for model, model_admin in admin.site._registry.items():
        if not type(model_admin).__module__.startswith("smartplan."):
            continue
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        found.append((f"{meta.app_label}.{meta.model_name}", url))
    return sorted(found)


def measure(repeat: int, only: list[str]) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = _users()
    results: dict[str, Any] = {"lists": {}, "cookies": {}, "plan": users["plan"].pk}
    for role in ("superuser", "coordinator"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[role])
        results["cookies"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        for label, url in _changelists():
            if only and label not in only:
                continue
            response = client.get(url)  # warm-up: templates, statement caches
            timings: list[float] = []
            queries = 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                queries = len(captured)
            results["lists"].setdefault(label, {"url": url})[role] = {
                "ms": statistics.median(timings),
                "queries": queries,
                "bytes": len(response.content),
                "status": response.status_code,
            }
    return results


# ------------------------------------------------------------------------ parent


def _env(folder: Path) -> dict[str, str]:
    """The environment of a child process: the data folder, the checkout measured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTPLAN_")}
    env.update(
        PYTHONPATH=str(SRC),
        SMARTPLAN_DATA_DIR=str(folder),
        SMARTPLAN_DEBUG="0",
        DJANGO_SETTINGS_MODULE="smartplan.settings",
    )
    return env


def _smartplan(folder: Path, *args: str) -> None:
    command = [sys.executable, "-m", "smartplan.cli", *args]
    subprocess.run(command, env=_env(folder), check=True, stdout=subprocess.DEVNULL)


def build(folder: Path, scale: int, per_sub_indicator: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _smartplan(folder, "migrate", "--verbosity", "0")
    mark = folder / "built"
    if mark.exists():
        return
    started = time.perf_counter()
    if scale == 1:
        _smartplan(folder, "load-demo")
    else:
        _smartplan(
            folder,
            "generate-synthetic",
            "--scale",
            str(scale),
            "--measurements-per-sub-indicator",
            str(per_sub_indicator),
        )
    mark.touch()
    print(f"  built {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def child(folder: Path, repeat: int, only: list[str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", str(folder), "--repeat", str(repeat)]
    for label in only:
        command += ["--only", label]
    done = subprocess.run(command, env=_env(folder), check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _cell(found: dict[str, Any] | None) -> str:
    if not found:
        return "–"
    status = "" if found["status"] == 200 else f" **{found['status']}**"
    return f"{found['ms']:.0f} ms, {found['queries']} q, {found['bytes'] / 1024:.0f} KB{status}"


def lists_table(demo: dict[str, Any], large: dict[str, Any]) -> str:
    lines = [
        "| list | role | demo | 100× | growth |",
        "|---|---|---|---|---|",
    ]
    for label in sorted(set(demo["lists"]) | set(large["lists"])):
        for role in ("superuser", "coordinator"):
            small = demo["lists"].get(label, {}).get(role)
            big = large["lists"].get(label, {}).get(role)
            growth = f"{big['ms'] / small['ms']:.1f}×" if small and big else "–"
            lines.append(f"| {label} | {role} | {_cell(small)} | {_cell(big)} | {growth} |")
    return "\n".join(lines)


def throughput(folder: Path, measured: dict[str, Any], duration: float, connections: int) -> str:
    sys.path.insert(0, str(BENCH))
    from api_throughput import (  # type: ignore[import-not-found]
        Target,
        _gunicorn,
        load_measure,
        served,
    )

    logs = Path(tempfile.mkdtemp(prefix="smartplan-bench-admin-"))
    bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["PYTHONPATH"] = str(BENCH)
    pages = [
        ("admin floor: empty group list (superuser)", "/admin/auth/group/", "superuser"),
        ("stack list", "/admin/stack/stackitem/", "coordinator"),
        ("measurements list", "/admin/indicators/measurement/", "coordinator"),
    ]
    lines = [
        f"{connections} connections, {duration:.0f} s each, gunicorn 2 sync workers; "
        f"load average {os.getloadavg()[0]:.2f}",
        "",
        "| page | req/s | p50 ms | p95 ms | errors | share of bare |",
        "|---|---|---|---|---|---|",
    ]
    with (
        served("bare Django", _gunicorn("bare_django_site:application"), bare_env, "/", logs) as b,
        served("smartplan", _gunicorn("smartplan.wsgi:application"), _env(folder), "/", logs) as s,
    ):
        bare = Target("bare Django", "", "", f"{b}/", 1)
        bare_rates = []
        rows = []
        for name, path, role in [("bare", "", ""), *pages, ("bare", "", "")]:
            if name == "bare":
                load = load_measure(bare, connections, duration, 1.0)
                bare_rates.append(load)
                continue
            cookie = measured["cookies"][role]
            headers = (("Cookie", f"sessionid={cookie}"),)
            target = Target("smartplan", name, "", s + path, 1, headers=headers)
            rows.append((name, load_measure(target, connections, duration, 1.0)))
        bare_rps = statistics.mean(load.rps for load in bare_rates)
        lines.append(
            f"| bare Django view | {bare_rps:.0f} | {bare_rates[0].percentile(50):.0f} | "
            f"{bare_rates[0].percentile(95):.0f} | {sum(x.errors for x in bare_rates)} | 100 % |"
        )
        for name, load in rows:
            lines.append(
                f"| {name} | {load.rps:.1f} | {load.percentile(50):.0f} | "
                f"{load.percentile(95):.0f} | {load.errors} | {load.rps / bare_rps:.1%} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", type=Path, help="data folder of the demo (built if new)")
    parser.add_argument("--large", type=Path, help="data folder of the 100× plan")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--measurements-per-sub-indicator", type=int, default=556)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], help="app.model; repeatable")
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--throughput-only", action="store_true", help="skip the in-process timing")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--src", type=Path, help="the src folder of the checkout measured")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global SRC
    if args.src:
        SRC = args.src.resolve()
    if args.measure:
        print(json.dumps(measure(args.repeat, args.only)))
        return
    base = Path(tempfile.gettempdir()) / "smartplan-bench-admin"
    demo_dir = args.demo or base / "demo"
    large_dir = args.large or base / f"scale-{args.scale}-{args.measurements_per_sub_indicator}"
    build(demo_dir, 1, 0)
    build(large_dir, args.scale, args.measurements_per_sub_indicator)
    if args.throughput_only:
        large = child(large_dir, 1, ["none.none"])  # the accounts and their sessions only
        print(f"## Throughput on the {args.scale}× data set\n")
        print(throughput(large_dir, large, args.duration, args.connections))
        return
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.repeat}", file=sys.stderr)
    demo = child(demo_dir, args.repeat, args.only)
    large = child(large_dir, args.repeat, args.only)
    print(f"## Admin lists in process (demo vs {args.scale}×)\n")
    print(lists_table(demo, large))
    if args.throughput:
        print(f"\n## Throughput on the {args.scale}× data set\n")
        print(throughput(large_dir, large, args.duration, args.connections))


if __name__ == "__main__":
    main()
