"""Benchmark: throughput of the public portal's pages against a bare Django view.

Target (issue 11, part 8): on loopback with 20 concurrent connections, each portal page
(home, flagship project list and detail, project stack; the plan overview and the
indicator pages too) answers at least 20 % of the requests per second of a bare Django
view returning a fixed string, on SQLite and on PostgreSQL. The conditional path (a
repeated request with ``If-None-Match``, answered 304) is measured beside each page.

In one run it
1. builds the demo (``smartplan migrate`` + ``smartplan load-demo``) in a SQLite file of
   the cache folder, or reuses it; for PostgreSQL it runs itself again under
   ``scripts/with-postgres`` (a throw-away server) and builds the demo there;
2. serves it with gunicorn (2 sync workers, SMARTPLAN_DEBUG=0) and serves
   bare_django_site.py with gunicorn (2 sync workers), each on a free loopback port;
3. loads every page, and its conditional request, with N concurrent connections
   (HTTP/1.1 keep-alive, the load generator of api_throughput.py) for a fixed time after a
   warm-up: requests/s, p50 and p95 latency, errors; a page that answers 404 (not built
   on this branch) is left out;
   then once more with a server that renders every request (SMARTPLAN_PORTAL_PAGE_STORE=0,
   no page kept per plan version): the cost of the rendering itself, shown for information;
4. prints a Markdown table and appends it, with the machine and versions, to
   benchmarks/RESULTS-portal.md.

Not part of the test run. The load generator runs on the same machine as the servers.

    .venv/bin/python benchmarks/portal_throughput.py [--quick] [--database sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

# The load generator and servers of the API benchmark, reused as is.
from api_throughput import (  # type: ignore[import-not-found]
    Load,
    Target,
    _gunicorn,
    _run,
    _smartplan_env,
    load_measure,
    served,
)
from bench_report import machine, publish, run_facts, section  # type: ignore[import-not-found]

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-portal.md"
TARGET_BARE = 0.2
DEMO = "liberec-2020"

# (name, path): the pages the issue names first, then the overview and indicator pages.
PAGES = [
    ("home", "/"),
    ("project list", f"/{DEMO}/projekty/"),
    ("project detail", f"/{DEMO}/projekty/1/"),
    ("project stack", f"/{DEMO}/zasobnik/"),
    ("plan overview", f"/{DEMO}/"),
    ("indicator list", f"/{DEMO}/indikatory/"),
    ("indicator detail", f"/{DEMO}/indikatory/8/"),
]


@dataclass
class Row:
    database: str
    page: str  # "bare Django view" for the floor
    conditional: bool  # a request with If-None-Match (304 expected)
    rendered: bool  # served with SMARTPLAN_PORTAL_PAGE_STORE=0: every request renders
    url: str
    rps: float  # answers of the expected status a second
    p50: float
    p95: float
    errors: int
    bare_rps: float  # the bare view measured in the same run, same database round


def _status(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status, dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items())


def _rate(load: Load, expected: int) -> tuple[float, int]:
    """Answers of the ``expected`` status a second, and everything else as errors."""
    good = load.statuses.get(expected, 0)
    errors = load.failures + sum(n for s, n in load.statuses.items() if s != expected)
    return good / load.seconds, errors


def demo_build(src: Path, folder: Path, env_extra: dict[str, str], log_path: Path) -> None:
    """Migrate and load the demo (reused in SQLite when already built in ``folder``)."""
    env = {**_smartplan_env(src, folder), **env_extra}
    smartplan = [sys.executable, "-m", "smartplan.cli"]
    done = folder / "demo-loaded"
    with log_path.open("a") as log:
        _run([*smartplan, "migrate", "--verbosity", "0"], env, log)
        if not done.exists() or "SMARTPLAN_DATABASE_URL" in env_extra:
            _run([*smartplan, "load-demo"], env, log)
            done.touch()


def measure(args: argparse.Namespace, database: str, env_extra: dict[str, str]) -> list[Row]:
    """Build, serve and load every page of one database; the bare view in the same run."""
    src = args.src.resolve()
    migrations = sorted(str(p.relative_to(src)) for p in src.glob("smartplan/*/migrations/*.py"))
    key = hashlib.sha256(json.dumps(migrations).encode()).hexdigest()[:10]
    folder = args.cache / f"{database}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    logs = Path(tempfile.mkdtemp(prefix=f"smartplan-bench-portal-{database}-"))
    started = time.perf_counter()
    demo_build(src, folder, env_extra, logs / "build.log")
    print(
        f"  {database}: demo ready in {time.perf_counter() - started:.0f} s (logs in {logs})",
        file=sys.stderr,
    )
    env = {**_smartplan_env(src, folder), **env_extra}
    bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["PYTHONPATH"] = str(BENCH)
    rows: list[Row] = []
    with served(
        "bare Django", _gunicorn("bare_django_site:application"), bare_env, "/", logs
    ) as bare_base:
        bare = Target("bare Django", "", "fixed string", f"{bare_base}/", 1)
        modes = [False, True] if args.rendered else [False]
        for rendered in modes:
            server_env = {**env, "SMARTPLAN_PORTAL_PAGE_STORE": "0" if rendered else "1"}
            with served(
                "smartplan", _gunicorn("smartplan.wsgi:application"), server_env, "/", logs
            ) as base:
                rows += _pages_measure(args, database, base, bare, rendered)
    return rows


def _pages_measure(
    args: argparse.Namespace, database: str, base: str, bare: Target, rendered: bool
) -> list[Row]:
    """Every page (and its 304, unless ``rendered``) against the bare view, N rounds."""
    label = f"{database}{' rendered' if rendered else ''}"
    targets: list[tuple[str, Target, int]] = []
    for name, path in PAGES:
        url = base + path
        status, headers = _status(url)
        if status != 200:
            print(f"  {label}: {name} answers {status}; left out", file=sys.stderr)
            continue
        targets.append((name, Target("portal", name, "", url, 1), 200))
        etag = headers.get("ETag")
        if etag and not rendered:
            conditional = Target("portal", name, "304", url, 0, headers=(("If-None-Match", etag),))
            targets.append((name, conditional, 304))
    loads: dict[tuple[str, bool], list[tuple[float, Load]]] = {}
    bare_loads: list[tuple[float, Load]] = []
    for number in range(1, args.rounds + 1):
        # The bare view first and last in each round: a busy machine slows all alike.
        for batch in ([("bare", bare, 200)], targets, [("bare", bare, 200)]):
            for name, target, expected in batch:
                load = load_measure(target, args.connections, args.duration, args.warm_up)
                rate, errors = _rate(load, expected)
                if name == "bare":
                    bare_loads.append((rate, load))
                else:
                    loads.setdefault((name, expected == 304), []).append((rate, load))
                shown = f"{name}{' (304)' if expected == 304 else ''}"
                print(
                    f"  {label} round {number}: {shown}: {rate:.1f} req/s, "
                    f"p95 {load.percentile(95):.0f} ms, {errors} errors",
                    file=sys.stderr,
                )
    bare_rps, bare_load = sorted(bare_loads, key=lambda m: m[0])[len(bare_loads) // 2]
    rows = [
        Row(
            database,
            "bare Django view",
            False,
            rendered,
            bare.url,
            bare_rps,
            bare_load.percentile(50),
            bare_load.percentile(95),
            _rate(bare_load, 200)[1],
            bare_rps,
        )
    ]
    for name, target, expected in targets:
        measured = loads.get((name, expected == 304))
        if not measured:
            continue
        rate, load = sorted(measured, key=lambda m: m[0])[len(measured) // 2]
        rows.append(
            Row(
                database,
                name,
                expected == 304,
                rendered,
                target.url,
                rate,
                load.percentile(50),
                load.percentile(95),
                _rate(load, expected)[1],
                bare_rps,
            )
        )
    return rows


def _fmt(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ") if number >= 100 else f"{number:.1f}"


def table(rows: list[Row]) -> tuple[str, int]:
    """The Markdown table and the number of pages below the target."""
    lines = [
        "| database | page | request | req/s | p50 ms | p95 ms | errors | × bare | target |",
        "|---|---|---|--:|--:|--:|--:|--:|---|",
    ]
    missed = 0
    for row in rows:
        ratio = row.rps / row.bare_rps if row.bare_rps else 0.0
        if row.page == "bare Django view":
            verdict, shown = "", "1.00"
        elif row.rendered:  # the rendering itself, for information: the portal keeps pages
            verdict, shown = "(rendered, no target)", f"{ratio:.2f}"
        else:
            ok = ratio >= TARGET_BARE and not row.errors
            missed += 0 if ok else 1
            verdict = f"≥ {TARGET_BARE:.0%} " + ("pass" if ok else "FAIL")
            shown = f"{ratio:.2f}"
        request = "If-None-Match → 304" if row.conditional else "GET → 200"
        if row.rendered:
            request += ", page store off"
        lines.append(
            f"| {row.database} | {row.page} | {request} | {_fmt(row.rps)} | {row.p50:.0f} "
            f"| {row.p95:.0f} | {row.errors} | {shown} | {verdict} |"
        )
    return "\n".join(lines), missed


def _postgres_rows(args: argparse.Namespace) -> list[Row]:
    """Run this script again under scripts/with-postgres and read its rows back."""
    out = Path(tempfile.mkstemp(prefix="smartplan-bench-portal-pg-", suffix=".json")[1])
    command = [
        "bash",
        str(BENCH.parent / "scripts" / "with-postgres"),
        sys.executable,
        str(Path(__file__).resolve()),
        "--database",
        "postgres",
        "--json",
        str(out),
        "--src",
        str(args.src),
        "--cache",
        str(args.cache),
        "--duration",
        str(args.duration),
        "--warm-up",
        str(args.warm_up),
        "--rounds",
        str(args.rounds),
        "--connections",
        str(args.connections),
        *([] if args.rendered else ["--no-rendered"]),
    ]
    done = subprocess.run(command, check=False)
    if done.returncode:
        raise SystemExit(f"the PostgreSQL run failed ({done.returncode})")
    return [Row(**row) for row in json.loads(out.read_text())]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", type=Path, default=BENCH.parent / "src")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warm-up", type=float, default=1.0, help="seconds before each")
    parser.add_argument("--rounds", type=int, default=1, help="keep the median of N rounds")
    parser.add_argument(
        "--no-rendered",
        dest="rendered",
        action="store_false",
        help="skip the second server with SMARTPLAN_PORTAL_PAGE_STORE=0 (every request renders)",
    )
    parser.add_argument("--quick", action="store_true", help="SQLite, 2 s each, no record")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "smartplan-bench-portal"
    )
    parser.add_argument("--label", default="", help="what is measured, for RESULTS-portal.md")
    parser.add_argument("--no-record", action="store_true", help="do not write the results")
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)  # the PostgreSQL child
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warm_up, args.no_record = 2.0, 0.5, True
        if args.database == "both":
            args.database = "sqlite"

    if args.json:  # the child run under scripts/with-postgres
        url = os.environ["SMARTPLAN_DATABASE_URL"]
        rows = measure(args, "PostgreSQL", {"SMARTPLAN_DATABASE_URL": url})
        args.json.write_text(json.dumps([asdict(row) for row in rows]))
        return

    started = time.perf_counter()
    described = machine()
    rows = []
    if args.database in ("sqlite", "both"):
        rows += measure(args, "SQLite", {})
    if args.database in ("postgres", "both"):
        rows += _postgres_rows(args)
    text, missed = table(rows)
    facts = run_facts(args.src)
    details = [
        f"Machine: {described}",
        f"Data: the demo plan {DEMO} (smartplan load-demo)",
        f"Load: {args.connections} connections, {args.duration:g} s per line after "
        f"{args.warm_up:g} s warm-up, median of {args.rounds} round(s); gunicorn 2 sync "
        "workers (portal with SMARTPLAN_DEBUG=0; bare view); anonymous requests; "
        "client on the same machine",
        f"Run took {time.perf_counter() - started:.0f} s; {missed} target(s) missed",
    ]
    publish(
        section(facts=facts, label=args.label, details=details, table=text),
        path=RESULTS,
        intro="# Portal throughput (benchmarks/portal_throughput.py)\n\n"
        "Each run appends a section. Target (issue 11): every portal page ≥ 20 % of "
        "the requests/s of a bare Django view returning a fixed string, measured in "
        "the same run, 20 connections, SQLite and PostgreSQL. The client runs on the "
        "same machine as the servers.\n\n",
        record=not args.no_record,
    )
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
