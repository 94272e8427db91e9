"""``benchmarks/run``: smartplan side by side with the best general tools, in one run.

Issue 13, part 3. One command that
1. builds the data sets with ``smartplan generate-synthetic`` or reuses them from the cache
   (suite_data.py): plans 1×, 10× and 100× the demo with 556 measurements a sub-indicator
   (the 100× plan then has about 1 000 000) in SQLite; in PostgreSQL (a private server whose
   data directory is cached, suite_postgres.py) a 1× plan and the national set, 20 plans
   each 50× the demo;
2. measures, each pair in the same run:
   - the measurements' CSV exports (editing interface, open data) and the open data JSON
     against ``sqlite3 -csv`` on the same table and Datasette's streaming CSV: rows/s,
     first byte, peak memory (suite_probe.py, one process each);
   - the API's JSON list page against Datasette's JSON page, requests/s;
   - the dashboard, the portal's pages and the editing interface's lists against a bare
     Django view (bare_django_site.py), gunicorn with 2 workers, 20 connections: req/s, p95;
   - the plan's workbook import against reading the same file with openpyxl alone;
   - the annual report's PDF against WeasyPrint alone laying out the report's HTML;
   - export, import and report times at each scale, and their growth per 10×;
   - the editing interface's lists in-process at the largest scale;
   - each page's p95 in the national set against a 1× plan, PostgreSQL;
3. prints a Markdown table with each target and PASS/FAIL and appends it, with the machine
   and the date, to benchmarks/RESULTS.md (not with --quick).

    bash benchmarks/run [--quick] [--no-postgres] [--cache DIR] [--rebuild]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api_throughput import (  # type: ignore[import-not-found]
    Load,
    Target,
    _datasette,
    _gunicorn,
    load_measure,
    served,
)
from bench_report import machine, publish, run_facts, section  # type: ignore[import-not-found]
from suite_data import DataSet, Spec, cache_key, data_set_build  # type: ignore[import-not-found]
from suite_postgres import database_ensure, pg_bin, pg_version, postgres_server  # type: ignore[import-not-found]
from suite_probe import ADMIN_LISTS, EXPORTS  # type: ignore[import-not-found]

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
PER_SUB = 556  # measurements per sub-indicator: the 100× plan has about 1 000 000
TABLE = "indicators_measurement"  # what sqlite3 and Datasette read: the same rows

# Targets (issue 13, part 2).
CSV_VS_SQLITE = 0.5
CSV_VS_DATASETTE = 10.0
IMPORT_VS_OPENPYXL = 3.0
PAGE_VS_BARE = 0.2
NATIONAL_P95 = 1.5
ADMIN_MS = 200.0
FIRST_BYTE_S = 1.0
MEMORY_FLAT = 1.5  # peak at the largest scale / peak at 1× (plus MEMORY_SLACK_MB)
MEMORY_SLACK_MB = 32.0
BUILDS_AT_ONCE = 2  # data sets built side by side (one process each; nothing is measured then)
PDF_100_TIMEOUTS = 2  # the 100× PDF report's probe may take this many step timeouts
LINEAR = 13.0  # growth per 10× above this (10× and the noise) is superlinear

# name, address ({slug}, {plan_id}), who asks: "anonymous", "session" or "token".
PAGES = [
    ("dashboard", "/monitoring/plan/{slug}/", "session"),
    ("portal home", "/", "anonymous"),
    ("portal plan", "/{slug}/", "anonymous"),
    ("portal projects", "/{slug}/projekty/", "anonymous"),
    ("portal stack", "/{slug}/zasobnik/", "anonymous"),
    ("portal indicators", "/{slug}/indikatory/", "anonymous"),
    *((name, address, "session") for name, address in ADMIN_LISTS.items()),
]
# Floors, served by the same workers in the same run (bench_floor_site.py): what a logged-in
# page costs before it does anything (a fixed string behind all of smartplan's middleware),
# and Django admin's own list page with nothing in it. No target: they show how much of the
# bare view's speed is left for the dashboard and the lists at all.
FLOORS = [
    ("floor: logged-in fixed string", "/bench-floor/", "session"),
    ("floor: Django admin, empty list", "/admin/auth/group/", "session"),
]
FLOOR_OF = {
    "dashboard": "floor: logged-in fixed string",
    **dict.fromkeys(ADMIN_LISTS, "floor: Django admin, empty list"),
}
API_JSON = "/api/v1/plans/{slug}/measurements/"


@dataclass
class Planned:
    """A data set to build (or reuse): what, where, and the database it goes to."""

    spec: Spec
    folder: Path
    env_extra: dict[str, str] | None = None


@dataclass
class Line:
    """One line of the table: a figure, what it is compared with, the target's verdict."""

    measure: str
    data: str
    figure: str
    reference: str = "–"
    ratio: str = "–"
    target: str = ""
    ok: bool | None = None  # None: no target

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "FAIL")


class Suite:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.src: Path = args.src.resolve()
        self.lines: list[Line] = []
        self.built: list[str] = []
        self.logs = Path(tempfile.mkdtemp(prefix="smartplan-bench-run-"))
        self.log = (self.logs / "run.log").open("w")
        self.work = self.logs / "files"
        self.work.mkdir()
        self.sqlite3 = sqlite3_cli()
        # scale → kind → figures, for growth and memory
        self.timings: dict[str, dict[int, float]] = {}
        self.peaks: dict[str, dict[int, float]] = {}

    def add(self, *args: Any, **kwargs: Any) -> None:
        line = Line(*args, **kwargs)
        self.lines.append(line)
        print(
            f"  {line.measure} [{line.data}]: {line.figure} vs {line.reference} "
            f"= {line.ratio} {line.target} {line.verdict}",
            file=sys.stderr,
        )

    # ------------------------------------------------------------------ probes

    def probe(self, data: DataSet, *command: str, timeout: float | None = None) -> dict[str, Any]:
        """Run suite_probe.py in the data set's environment; its JSON answer."""
        limit = timeout or self.args.step_timeout
        full = [sys.executable, str(BENCH / "suite_probe.py"), *command]
        self.log.write(f"$ {' '.join(full)}\n")
        self.log.flush()
        try:
            done = subprocess.run(
                full, env=data.env, capture_output=True, text=True, timeout=limit, check=False
            )
        except subprocess.TimeoutExpired:
            return {"error": f"over {limit:.0f} s (stopped)"}
        self.log.write(done.stdout + done.stderr)
        if done.returncode:
            return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:200]}
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    # ------------------------------------------------------------------ exports

    def exports(self, data: DataSet, datasette: str | None) -> None:
        name, scale = data.spec.name, data.spec.scale
        rows_total = data.counts["measurements"]
        reference = self.sqlite_cli(data)
        streamed = self.datasette_csv(data, datasette) if datasette else None
        if reference:
            self.add(
                "sqlite3 -csv (same table)", name,
                f"{_rate(reference['rows'], reference['seconds'])} rows/s, "
                f"{reference['seconds']:.2f} s, {reference['bytes'] / 1e6:.0f} MB",
            )  # fmt: skip
        if streamed:
            if "error" in streamed:
                self.add("Datasette streaming CSV", name, streamed["error"], ok=False)
                streamed = None
            else:
                self.add(
                    "Datasette streaming CSV", name,
                    f"{_rate(streamed['rows'], streamed['seconds'])} rows/s, "
                    f"{streamed['seconds']:.2f} s, first byte {streamed['first_byte']:.2f} s",
                )  # fmt: skip
        for kind in EXPORTS:
            out = self.work / f"{name}-plan.xlsx"
            extra = ["--out", str(out)] if kind == "workbook" else []
            key = f"export {kind}"
            if skipped := self.too_long(key, scale):
                self.add(f"{kind} export", name, skipped, ok=False)
                continue
            result = self.probe(data, "export", kind, *extra)
            if "error" in result:
                self.add(key, name, result["error"], ok=False)
                continue
            self.timings.setdefault(key, {})[scale] = result["seconds"]
            self.peaks.setdefault(key, {})[scale] = result["peak_mb"]
            size = f"{result['bytes'] / 1e6:.1f} MB"
            if result.get("rows") is not None:
                rate = result["rows"] / result["seconds"]
                shown = _rate(result["rows"], result["seconds"])
                figure = f"{shown} rows/s, {result['seconds']:.2f} s, {size}"
            else:
                rate = rows_total / result["seconds"]
                figure = f"{result['seconds']:.2f} s, {size}"
            figure += f", peak {result['peak_mb']:.0f} MB"
            # The issue's targets are the editing interface's and the open data's CSV; the
            # API's download (the list pages' rows as they are, shaped per row) is measured
            # beside them without one.
            judged = self.largest(data) and not kind.startswith("API")
            if "CSV" in kind and reference:
                ratio = rate / (reference["rows"] / reference["seconds"])
                self.add(
                    f"{kind} export vs sqlite3 -csv", name, figure,
                    f"{_rate(reference['rows'], reference['seconds'])} rows/s", f"{ratio:.2f}",
                    f"≥ {CSV_VS_SQLITE:g}×" if judged else "",
                    ratio >= CSV_VS_SQLITE if judged else None,
                )  # fmt: skip
            elif "CSV" in kind:
                self.add(f"{kind} export", name, figure, "sqlite3 CLI missing")
            if "CSV" in kind and streamed:
                ratio = rate / (streamed["rows"] / streamed["seconds"])
                self.add(
                    f"{kind} export vs Datasette streaming CSV", name, figure,
                    f"{_rate(streamed['rows'], streamed['seconds'])} rows/s", f"{ratio:.1f}",
                    f"≥ {CSV_VS_DATASETTE:g}×" if judged else "",
                    ratio >= CSV_VS_DATASETTE if judged else None,
                )  # fmt: skip
            if "CSV" not in kind:
                self.add(f"{kind} export", name, figure)
            if kind != "workbook":
                self.add(
                    f"{kind} export: first byte", name,
                    f"{result['first_byte']:.2f} s (first row {result['first_row']:.2f} s)",
                    "streamed" if result.get("streaming") else "not streamed", "",
                    f"< {FIRST_BYTE_S:g} s", result["first_byte"] < FIRST_BYTE_S,
                )  # fmt: skip

    def sqlite_cli(self, data: DataSet) -> dict[str, Any] | None:
        if not self.sqlite3:
            return None
        query = f"SELECT * FROM {TABLE} WHERE plan_id = {data.plan_id}"
        return _stream_count(
            [self.sqlite3, "-csv", "-header", "-readonly", str(data.database), query]
        )

    def datasette_csv(self, data: DataSet, base: str) -> dict[str, Any]:
        url = f"{base}/smartplan/{TABLE}.csv?plan_id={data.plan_id}&_stream=on&_size=max"
        return _download(url)

    # ------------------------------------------------------------------ import, reports

    def import_(self, data: DataSet) -> None:
        name, scale = data.spec.name, data.spec.scale
        path = self.work / f"{name}-plan.xlsx"
        if not path.exists():
            self.add("workbook import", name, "not run: no workbook was exported", ok=False)
            return
        if skipped := self.too_long("workbook import", scale):
            self.add("workbook import vs openpyxl read", name, skipped, ok=False)
            return
        result = self.probe(data, "import", str(path))
        if "import" not in result:
            shown = result.get("error", "?")
            self.add("workbook import vs openpyxl read", name, f"refused: {shown}", ok=False)
            return
        self.timings.setdefault("workbook import", {})[scale] = result["import"]
        ratio = result["import"] / result["openpyxl"]
        self.add(
            "workbook import vs openpyxl read", name,
            f"{result['import']:.2f} s ({result['rows']} rows), peak {result['peak_mb']:.0f} MB",
            f"{result['openpyxl']:.2f} s", f"{ratio:.2f}", f"≤ {IMPORT_VS_OPENPYXL:g}×",
            ratio <= IMPORT_VS_OPENPYXL,
        )  # fmt: skip

    def reports(self, data: DataSet) -> None:
        """The annual report: DOCX and PDF at every scale (the PDF at 100× unless
        ``--no-report-pdf-100``), WeasyPrint alone beside the PDF below 100× (at 100× it
        alone takes minutes and 5 GB). At 100× the DOCX and the PDF are two probes; the PDF's
        may take twice the step timeout (about 6 minutes on this machine, most of it
        WeasyPrint's)."""
        name, scale = data.spec.name, data.spec.scale
        large = scale >= 100
        pdf = not ((large and self.args.no_report_pdf_100) or (self.args.quick and scale > 1))
        pdf_limit = self.args.step_timeout * (PDF_100_TIMEOUTS if large else 1)
        if skipped := self.too_long("report DOCX", scale):
            self.add("annual report", name, skipped, ok=False)
            return
        if pdf and (skipped := self.too_long("report PDF", scale, pdf_limit)):
            pdf = False
            self.add("annual report PDF", name, skipped, ok=False)
        probes: list[tuple[list[str], float]] = [([], self.args.step_timeout)]
        if large or not pdf:
            probes = [(["--no-pdf", "--no-weasyprint"], self.args.step_timeout)]
            if pdf:
                probes.append((["--no-docx", "--no-weasyprint"], pdf_limit))
        result: dict[str, Any] = {}
        for options, limit in probes:
            answer = self.probe(data, "report", *options, timeout=limit)
            if "error" in answer:
                self.add("annual report", name, answer["error"], ok=False)
                return
            result.update(answer)
        self.timings.setdefault("report DOCX", {})[scale] = result["docx"]
        self.add("annual report DOCX", name, f"{result['docx']:.2f} s, {result['docx_kb']} KiB")
        if "pdf" in result:
            self.timings.setdefault("report PDF", {})[scale] = result["pdf"]
            if "weasyprint" in result:
                ratio = result["pdf"] / result["weasyprint"]
                self.add(
                    "annual report PDF vs WeasyPrint alone", name,
                    f"{result['pdf']:.2f} s, {result['pdf_kb']} KiB",
                    f"{result['weasyprint']:.2f} s", f"{ratio:.2f}",
                )  # fmt: skip
            else:
                figure = f"{result['pdf']:.2f} s, {result['pdf_kb']} KiB"
                self.add("annual report PDF", name, figure)

    def admin_lists(self, data: DataSet) -> None:
        result = self.probe(data, "admin-lists")
        if "error" in result:
            self.add("admin lists in-process", data.spec.name, result["error"], ok=False)
            return
        for page, measured in result.items():
            ok = measured["status"] == 200 and measured["ms"] < ADMIN_MS
            target = f"< {ADMIN_MS:g} ms" if self.largest(data) else ""
            self.add(
                f"{page} in-process", data.spec.name,
                f"{measured['ms']:.0f} ms (HTTP {measured['status']})", "", "", target,
                ok if self.largest(data) else None,
            )  # fmt: skip

    def too_long(self, key: str, scale: int, limit: float | None = None) -> str:
        """Why a step is skipped: 10 times its time at a tenth of the scale would run over
        its timeout (the run stays within its half hour); empty when it runs."""
        limit = limit or self.args.step_timeout
        before = self.timings.get(key, {}).get(scale // 10)
        if before is None or 10 * before <= limit:
            return ""
        return (
            f"not run: {before:.0f} s at {scale // 10}× predicts ~{10 * before:.0f} s, "
            f"over the step timeout ({limit:.0f} s)"
        )

    def largest(self, data: DataSet) -> bool:
        return data.spec.scale == max(self.scales)

    # ------------------------------------------------------------------ pages

    def pages(
        self, served_sets: list[tuple[DataSet, str]], bare: Target
    ) -> dict[str, dict[str, Load]]:
        """Each page of each data set (served at its address) against the bare view, measured
        before and after them all; by data set name, page: its load (p95 by page).

        With several data sets each page is measured on one after the other (1×, national,
        then the next page), so a slower or busier minute of the shared machine falls on both
        sides of a comparison alike instead of on one data set's lines."""
        found: dict[str, list[tuple[str, Target]]] = {}
        for data, base in served_sets:
            label = data.spec.name
            found[label] = []
            for page, address, who in [*PAGES, *FLOORS]:
                url = base + address.format(slug=data.slug, plan_id=data.plan_id)
                headers: tuple[tuple[str, str], ...] = ()
                if who == "session":
                    headers = (data.sessionid,)
                status = _status(url, dict(headers))
                if status != 200:
                    self.add(f"{page} (gunicorn)", label, f"answers {status}: left out", ok=False)
                    continue
                found[label].append((page, Target("smartplan", page, "", url, 1, headers)))
        seconds, warm = self.args.duration, self.args.warm_up
        targets = {label: dict(pages) for label, pages in found.items()}
        loads: dict[str, dict[str, Load]] = {label: {} for label in found}
        before = load_measure(bare, 20, seconds, warm)
        for page, _address, _who in [*PAGES, *FLOORS]:
            for label, by_page in targets.items():
                if page in by_page:
                    loads[label][page] = load_measure(by_page[page], 20, seconds, warm)
        after = load_measure(bare, 20, seconds, warm)
        bare_rps = (before.rps + after.rps) / 2
        floors = {name for name, _, _ in FLOORS}
        for label, measured in loads.items():
            self.add(
                "bare Django view (gunicorn, 20 conns)", label,
                f"{bare_rps:.0f} req/s, p95 {after.percentile(95):.0f} ms",
            )  # fmt: skip
            for page, load in measured.items():
                ratio = load.rps / bare_rps if bare_rps else 0.0
                target = page not in floors
                self.add(
                    f"{page} (gunicorn, 20 conns)", label,
                    f"{load.rps:.1f} req/s, p95 {load.percentile(95):.0f} ms"
                    + (f", {load.errors} errors" if load.errors else ""),
                    f"{bare_rps:.0f} req/s", f"{ratio:.2f}",
                    f"≥ {PAGE_VS_BARE:.0%} bare" if target else "",
                    ratio >= PAGE_VS_BARE and not load.errors if target else None,
                )  # fmt: skip
            for page, floor in FLOOR_OF.items():
                if page in measured and floor in measured and measured[floor].rps:
                    self.add(
                        f"{page} vs {floor.removeprefix('floor: ')}", label,
                        f"{measured[page].rps:.1f} req/s", f"{measured[floor].rps:.1f} req/s",
                        f"{measured[page].rps / measured[floor].rps:.2f}",
                    )  # fmt: skip
        return loads

    def api_json(self, data: DataSet, base: str, datasette: str) -> None:
        api = Target(
            "smartplan", "measurements", "first page",
            base + API_JSON.format(slug=data.slug), 100,
            (("Authorization", f"Token {data.token}"),),
        )  # fmt: skip
        theirs = Target(
            "Datasette", "measurements", "first page",
            f"{datasette}/smartplan/{TABLE}.json?_size=100&plan_id={data.plan_id}"
            "&_shape=objects&_nocount=1", 100,
        )  # fmt: skip
        if _status(api.url, dict(api.headers)) != 200:
            self.add("API measurements JSON page", data.spec.name, "not served", ok=False)
            return
        seconds, warm = self.args.duration, self.args.warm_up
        mine = load_measure(api, 20, seconds, warm)
        ds = load_measure(theirs, 20, seconds, warm)
        ratio = mine.rps / ds.rps if ds.rps else 0.0
        self.add(
            "API measurements JSON, 100 rows (gunicorn, 20 conns)", data.spec.name,
            f"{mine.rps:.0f} req/s, p95 {mine.percentile(95):.0f} ms",
            f"Datasette JSON {ds.rps:.0f} req/s", f"{ratio:.2f}",
        )  # fmt: skip

    # ------------------------------------------------------------------ runs

    @property
    def scales(self) -> list[int]:
        return [1, 10] if self.args.quick else [1, 10, 100]

    def sqlite_planned(self) -> list[Planned]:
        planned = []
        for scale in self.scales:
            spec = Spec(f"{scale}× SQLite", scale, 1, PER_SUB)
            folder = self.args.cache / f"sqlite-{scale}x1-m{PER_SUB}-{cache_key(self.src, spec)}"
            planned.append(Planned(spec, folder))
        return planned

    def postgres_planned(self, server: str) -> list[Planned]:
        """The 1× plan and the national set, each in its own database on ``server``."""
        national = (
            Spec("national PostgreSQL", 5, 2, 12)
            if self.args.quick
            else Spec("national PostgreSQL", 50, 20, 12)
        )
        planned = []
        for spec in (Spec("1× PostgreSQL", 1, 1, 12), national):
            key = cache_key(self.src, spec)
            folder = (
                self.args.cache / f"postgres-sets/{spec.scale}x{spec.plans}-m{spec.per_sub}-{key}"
            )
            fresh = self.args.rebuild or not (folder / "generated").exists()
            url = database_ensure(server, f"bench_{spec.scale}x{spec.plans}_{key}", fresh)
            if fresh:
                shutil.rmtree(folder, ignore_errors=True)
            planned.append(Planned(spec, folder, {"SMARTPLAN_DATABASE_URL": url}))
        return planned

    def build_all(self, planned: list[Planned]) -> list[DataSet]:
        """Build (or reuse) every data set before anything is measured, two at a time (the
        machine's two cores; each build is one process), the largest first: a fresh clone
        spends most of its run here."""
        largest_first = sorted(planned, key=lambda p: p.spec.scale * p.spec.plans, reverse=True)
        with ThreadPoolExecutor(max_workers=BUILDS_AT_ONCE) as pool:
            done = dict(zip(
                (id(p) for p in largest_first),
                pool.map(lambda p: self.build(p.spec, p.folder, p.env_extra), largest_first),
                strict=True,
            ))  # fmt: skip
        built = [done[id(p)] for p in planned]
        self.built = [self.described(data) for data in built]
        return built

    def sqlite_run(self, bare: Target, data_sets: list[DataSet]) -> None:
        for data in data_sets:
            print(f"{data.spec.name}: exports, import, reports", file=sys.stderr)
            with ExitStack() as stack:
                datasette = stack.enter_context(self.datasette(data))
                self.exports(data, datasette)
                self.import_(data)
                self.reports(data)
                self.admin_lists(data)
                if data.spec.scale in (1, max(self.scales)):
                    base = stack.enter_context(self.smartplan(data))
                    self.pages([(data, base)], bare)
                    self.api_json(data, base, datasette)
        self.growth()
        self.memory()

    def postgres_run(self, bare: Target, built: list[DataSet]) -> None:
        demo, national = built
        with ExitStack() as stack:
            served_sets = [(data, stack.enter_context(self.smartplan(data))) for data in built]
            loads = self.pages(served_sets, bare)
        p95 = {
            label: {page: load.percentile(95) for page, load in by_page.items()}
            for label, by_page in loads.items()
        }
        for page, demo_p95 in p95[demo.spec.name].items():
            big = p95[national.spec.name].get(page)
            if big is None or page.startswith("floor"):
                continue
            ratio = big / demo_p95 if demo_p95 else 0.0
            self.add(
                f"{page} p95, national vs 1×", "PostgreSQL", f"{big:.0f} ms",
                f"{demo_p95:.0f} ms", f"{ratio:.2f}", f"≤ {NATIONAL_P95:g}×",
                ratio <= NATIONAL_P95,
            )  # fmt: skip

    def build(self, spec: Spec, folder: Path, env_extra: dict[str, str] | None = None) -> DataSet:
        return data_set_build(
            spec, src=self.src, folder=folder, log=self.log, env_extra=env_extra,
            rebuild=self.args.rebuild,
        )  # fmt: skip

    @staticmethod
    def described(data: DataSet) -> str:
        spec = data.spec
        plans = f"{spec.plans} plan(s) × {spec.scale}×" if spec.plans > 1 else f"{spec.scale}×"
        measurements = f"{data.counts['measurements']:,}".replace(",", " ")
        items = f"{data.counts['stack items']:,}".replace(",", " ")
        return (
            f"{spec.name}: {plans}, {spec.per_sub} measurements a sub-indicator, "
            f"{measurements} measurements and {items} stack items in the first plan; "
            f"{'reused from' if data.reused else 'built in'} {data.folder} "
            f"({data.build_seconds:.0f} s)"
        )

    @contextmanager
    def smartplan(self, data: DataSet) -> Iterator[str]:
        # smartplan's settings and URLs plus /bench-floor/ (bench_floor_site.py).
        env = {
            **data.env,
            "DJANGO_SETTINGS_MODULE": "bench_floor_site",
            "PYTHONPATH": f"{data.env['PYTHONPATH']}{os.pathsep}{BENCH}",
        }
        with served(
            "smartplan", _gunicorn("smartplan.wsgi:application"), env, "/", self.logs
        ) as base:
            yield base

    @contextmanager
    def datasette(self, data: DataSet) -> Iterator[str]:
        command = [
            _datasette(), "serve", str(data.database), "--host", "127.0.0.1",
            "--port", "{port}", "--setting", "suggest_facets", "off",
            "--setting", "max_returned_rows", "1000",
        ]  # fmt: skip
        with served("Datasette", command, os.environ.copy(), "/-/versions.json", self.logs) as b:
            yield b

    def growth(self) -> None:
        for key, by_scale in self.timings.items():
            scales = sorted(by_scale)
            steps = [
                (a, b, by_scale[b] / by_scale[a])
                for a, b in itertools.pairwise(scales)
                if by_scale[a] > 0 and b == 10 * a
            ]
            if not steps:
                continue
            shown = ", ".join(f"{a}→{b}×: {g:.1f}×" for a, b, g in steps)
            worst = steps[-1][2]  # the largest step: fixed costs hide the growth below
            self.add(
                f"{key}: growth per 10×", "SQLite",
                ", ".join(f"{by_scale[s]:.2f} s" for s in scales), "", shown,
                f"≤ {LINEAR:g}× (linear)", worst <= LINEAR,
            )  # fmt: skip

    def memory(self) -> None:
        for key, by_scale in self.peaks.items():
            low, high = min(by_scale), max(by_scale)
            if low == high:
                continue
            limit = by_scale[low] * MEMORY_FLAT + MEMORY_SLACK_MB
            self.add(
                f"{key}: peak memory", "SQLite",
                f"{by_scale[high]:.0f} MB at {high}×", f"{by_scale[low]:.0f} MB at {low}×",
                f"{by_scale[high] / by_scale[low]:.2f}", f"flat (≤ {MEMORY_FLAT:g}× + "
                f"{MEMORY_SLACK_MB:g} MB)", by_scale[high] <= limit,
            )  # fmt: skip


# ---------------------------------------------------------------------------- helpers


def _rate(rows: float, seconds: float) -> str:
    return f"{rows / seconds:,.0f}".replace(",", " ") if seconds else "?"


def _status(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return -1


def _chunks_count(read: Any, started: float) -> dict[str, Any]:
    """Read ``read(size)`` to the end: first byte, seconds, bytes, CSV rows (lines − header)."""
    first_byte = None
    size = lines = 0
    while chunk := read(65536):
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    return {
        "first_byte": first_byte or seconds,
        "seconds": seconds,
        "bytes": size,
        "rows": lines - 1,
    }


def _download(url: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return _chunks_count(response.read1, started)
    except OSError as exc:
        return {"error": f"{url}: {exc}"}


def _stream_count(command: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE) as process:
        return _chunks_count(process.stdout.read1, started)  # type: ignore[union-attr]


def sqlite3_cli() -> str | None:
    """The sqlite3 command-line shell; installed with apt-get when missing and root."""
    found = shutil.which("sqlite3")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("sqlite3 CLI missing: installing the Debian package sqlite3", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "sqlite3"], check=False)
        found = shutil.which("sqlite3")
    if not found:
        print(
            "The sqlite3 command-line shell is missing (Debian package sqlite3: "
            "apt-get install sqlite3): the export lines have no sqlite3 reference.",
            file=sys.stderr,
        )
    return found


def table(lines: list[Line]) -> str:
    rows = [
        "| measure | data set | smartplan | reference | ratio | target | verdict |",
        "|---|---|---|---|--:|---|---|",
    ]
    for line in lines:
        rows.append(
            f"| {line.measure} | {line.data} | {line.figure} | {line.reference} | {line.ratio} "
            f"| {line.target} | {line.verdict} |"
        )
    return "\n".join(rows)


class StoppedError(Exception):
    """SIGTERM or Ctrl-C: the servers stop and the table shows what was measured so far."""


def _stopped(signum: int, frame: Any) -> None:
    raise StoppedError(f"stopped by signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", type=Path, default=BENCH.parent / "src")
    parser.add_argument("--quick", action="store_true", help="1× and 10× only, 2 s a line")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or check) the data sets, measure nothing"
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load line")
    parser.add_argument("--warm-up", type=float, default=1.0)
    parser.add_argument("--step-timeout", type=float, default=300.0, help="seconds per probe")
    parser.add_argument(
        "--no-report-pdf-100", action="store_true",
        help="leave out the 100× plan's PDF report (about 5 minutes of the run)",
    )  # fmt: skip
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "smartplan-bench-suite",
        help="folder of the built data sets, reused by later runs",
    )  # fmt: skip
    parser.add_argument("--rebuild", action="store_true", help="build the data sets anew")
    parser.add_argument("--label", default="", help="what is measured, for RESULTS.md")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warm_up, args.no_record = 2.0, 0.5, True
    args.cache.mkdir(parents=True, exist_ok=True)
    os.chmod(args.cache, 0o755)  # the PostgreSQL server (user postgres) keeps data inside

    # Stopped from outside: leave through the servers' clean-up (they run in own sessions).
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGINT, _stopped)
    started = time.perf_counter()
    described = machine(extra={"PostgreSQL": pg_version()})
    suite = Suite(args)
    print(f"benchmarks/run: logs in {suite.logs}, data in {args.cache}", file=sys.stderr)
    bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["PYTHONPATH"] = str(BENCH)
    stopped = ""
    try:
        with ExitStack() as stack:
            planned_sqlite = [] if args.no_sqlite else suite.sqlite_planned()
            planned_postgres = []
            if not args.no_postgres and pg_bin() is None:
                suite.add(
                    "PostgreSQL", "–", "server binaries missing (Debian package postgresql)",
                    ok=False,
                )  # fmt: skip
            elif not args.no_postgres:
                server = stack.enter_context(postgres_server(args.cache))
                planned_postgres = suite.postgres_planned(server)
            built = suite.build_all(planned_sqlite + planned_postgres)
            if not args.build_only:
                bare_base = stack.enter_context(
                    served(
                        "bare Django", _gunicorn("bare_django_site:application"), bare_env,
                        "/", suite.logs,
                    )
                )  # fmt: skip
                bare = Target("bare Django", "", "fixed string", f"{bare_base}/", 1)
                if planned_sqlite:
                    suite.sqlite_run(bare, built[: len(planned_sqlite)])
                if planned_postgres:
                    suite.postgres_run(bare, built[len(planned_sqlite) :])
    except (StoppedError, KeyboardInterrupt) as exc:
        stopped = f"; STOPPED before the end ({exc or 'Ctrl-C'}): the table is partial"
        print(f"benchmarks/run {stopped[2:]}", file=sys.stderr)
    missed = sum(line.ok is False for line in suite.lines)
    passed = sum(line.ok is True for line in suite.lines)
    facts = run_facts(suite.src)
    load_end = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    if args.build_only:
        print("\n".join(suite.built))
        return
    details = [
        f"Machine: {described}; load average at the end {load_end}",
        *(f"Data {line}" for line in suite.built),
        f"Load: 20 connections, {args.duration:g} s a line after {args.warm_up:g} s "
        "warm-up; gunicorn 2 sync workers (smartplan with SMARTPLAN_DEBUG=0, and the bare "
        "view); Datasette one process on the same SQLite file; exports, import, reports "
        "and admin lists in-process (Django's test client), one process each; the client "
        "on the same machine; logged-in pages with a session and a CSRF cookie, as a "
        "browser sends them",
        f"Run took {time.perf_counter() - started:.0f} s; {passed} target(s) met, {missed} missed"
        + stopped,
    ]
    label = args.label + (" (quick)" if args.quick else "")
    publish(
        section(facts=facts, label=label, details=details, table=table(suite.lines)),
        path=RESULTS,
        intro="# smartplan side by side (benchmarks/run)\n\n"
        "Each run of `bash benchmarks/run` appends a section. Targets (issue 13): CSV "
        "export of 1 000 000 measurements ≥ 50 % of `sqlite3 -csv` rows/s and ≥ 10× "
        "Datasette's streaming CSV; workbook import ≤ 3× reading it with openpyxl; pages "
        "≥ 20 % of a bare Django view's req/s; national p95 ≤ 1.5× the 1× p95; admin lists "
        "at 100× < 200 ms in-process; first byte of exports < 1 s; exports' peak memory "
        "flat; growth per 10× linear. Compare the lines of one run with each other.\n\n",
        record=not args.no_record,
    )
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
