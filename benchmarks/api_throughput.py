"""Benchmark: throughput of the REST API's list endpoints against Datasette and bare DRF.

Targets (issue 10): on the demo plan and on a plan 100 times its size, at 10 and 20
connections on loopback, each API list page answers at least 2 times as many requests per
second as Datasette's keyset page of the same rows from the same SQLite file, at least 30 %
of a bare Django REST framework view returning a fixed list, and a deep page (row 50 000)
as fast as the first (within 10 %, the noise of a shared machine).

In one run it
1. builds the two SQLite data sets, or reuses them from the cache folder: the demo plan
   and a ``smartplan generate-synthetic --scale 100`` plan, migrated, with observations
   (neither has any of its own), values and an API account with a token (api_data.py);
2. serves each with gunicorn (2 sync workers, SMARTPLAN_DEBUG=0, as ``smartplan serve``)
   and with Datasette, and serves bare_drf_site.py with gunicorn (2 sync workers);
3. finds the pages: the first page of each register in ``REGISTERS`` and a deep page,
   reached by following the ``next`` links the responses give (a ``next`` link with an
   ``offset`` parameter is jumped to directly);
4. loads each page with N concurrent connections (HTTP/1.1, keep-alive where the server
   keeps the connection) for a fixed time after a warm-up: requests/s, p50 and p95 latency,
   errors (anything but 2xx);
5. prints a Markdown table and appends it, with the machine and versions, to
   benchmarks/RESULTS-api.md.

Not part of the test run. The load generator runs on the same machine as the servers.

    .venv/bin/python benchmarks/api_throughput.py [--quick] [--src DIR] [--label TEXT]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# The machine, checkout and results file of every benchmark's report.
from bench_report import machine, publish, run_facts, section  # type: ignore[import-not-found]

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-api.md"
PAGE = 100
DEEP_ROW = 50_000
DEEP_MIN_ROWS = 10 * PAGE  # a register this small has no deep page worth measuring
DEEP_TOLERANCE = 0.9
TARGET_DATASETTE = 2.0
TARGET_BARE = 0.3


@dataclass(frozen=True)
class Register:
    """A list endpoint of the API and the table Datasette serves the same rows from.

    ``paths`` are tried in order under ``/api/v1/plans/<slug>/``; the first that answers
    200 is measured, a register none of them serves is left out of the table.
    """

    name: str
    paths: tuple[str, ...]
    table: str


REGISTERS = [
    Register("observations", ("observations/",), "observations_observation"),
    Register("measurements", ("measurements/",), "indicators_measurement"),
    Register("stack items", ("stack-items/", "stack/", "stackitems/"), "stack_stackitem"),
]


@dataclass(frozen=True)
class DataSet:
    name: str
    scale: int  # 1 = the demo plan itself
    observations: int


@dataclass
class Built:
    data_set: DataSet
    folder: Path
    slug: str
    plan_id: int
    token: str
    counts: dict[str, int]

    @property
    def database(self) -> Path:
        return self.folder / "smartplan.sqlite3"


@dataclass(frozen=True)
class Target:
    """One URL to load: a page of smartplan's API, of Datasette or the bare view."""

    server: str  # smartplan, Datasette, bare DRF
    register: str
    page: str  # "first page", "row 50 000"
    url: str
    rows: int
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Load:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0  # connection errors and unreadable answers

    @property
    def errors(self) -> int:
        return self.failures + sum(n for s, n in self.statuses.items() if not 200 <= s < 300)

    @property
    def rps(self) -> float:
        """Successful (2xx) answers a second; errors are counted apart."""
        ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        return ok / self.seconds

    def percentile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000


# ---------------------------------------------------------------------------- load generator


class _StaleConnectionError(Exception):
    """A kept-alive connection the server had closed before the request: retry, no error."""


async def _response_read(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; returns its status and whether the connection stays."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status = lines[0].split(" ", 2)[:2]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep = version == "HTTP/1.1" and headers.get("connection") != "close"
    if "chunked" in headers.get("transfer-encoding", ""):
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass  # trailers
                break
            await reader.readexactly(size + 2)
    elif "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:
        await reader.read()
        keep = False
    return int(status), keep


async def _connection_run(
    host: str, port: int, request: bytes, deadline: float, load: Load, record: bool
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        reused = writer is not None
        try:
            if reader is None or writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            try:
                status, keep = await _response_read(reader)
            except asyncio.IncompleteReadError as exc:
                if reused and not exc.partial:
                    raise _StaleConnectionError from exc
                raise
        except _StaleConnectionError:
            keep, status = False, 0
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            keep, status = False, -1
        if status > 0 and record:
            load.latencies.append(time.perf_counter() - started)
            load.statuses[status] += 1
        elif status < 0 and record:
            load.failures += 1
        if not keep and writer is not None:
            writer.close()
            with suppress(OSError):
                await writer.wait_closed()
            reader = writer = None
    if writer is not None:
        writer.close()
        with suppress(OSError):
            await writer.wait_closed()


async def _load_run(target: Target, connections: int, seconds: float, warm_up: float) -> Load:
    parts = urlsplit(target.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = [
        f"GET {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Accept: application/json",
        "Connection: keep-alive",
        *(f"{name}: {value}" for name, value in target.headers),
    ]
    request = ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1")
    if warm_up > 0:
        ignored = Load(seconds=warm_up)
        deadline = time.perf_counter() + warm_up
        await asyncio.gather(
            *(
                _connection_run(host, port, request, deadline, ignored, record=False)
                for _ in range(connections)
            )
        )
    load = Load(seconds=seconds)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection_run(host, port, request, started + seconds, load, record=True)
            for _ in range(connections)
        )
    )
    load.seconds = time.perf_counter() - started  # the requests in flight at the end count
    return load


def load_measure(target: Target, connections: int, seconds: float, warm_up: float) -> Load:
    return asyncio.run(_load_run(target, connections, seconds, warm_up))


# ---------------------------------------------------------------------------- pages


def _get(url: str, headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            status, answer_headers = response.status, dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, None, dict(exc.headers.items())
    try:
        return status, json.loads(body), answer_headers
    except ValueError:
        return status, None, answer_headers


def _rows(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in ("results", "rows", "data", "items"):
            if isinstance(body.get(key), list):
                return list(body[key])
    return []


def _next_link(body: Any, headers: dict[str, str], base: str) -> str | None:
    """The next page's address: ``next_url`` / ``next`` / ``links.next`` or a Link header."""
    if isinstance(body, dict):
        candidates = [body.get("next_url"), body.get("next")]
        links = body.get("links")
        if isinstance(links, dict):
            candidates.append(links.get("next"))
        for link in candidates:
            if isinstance(link, str) and link.startswith(("http://", "https://", "/", "?")):
                return urljoin(base, link)
    for name, value in headers.items():
        if name.lower() == "link":
            for part in value.split(","):
                address, _, params = part.partition(";")
                if 'rel="next"' in params.replace(" ", ""):
                    return urljoin(base, address.strip().strip("<>"))
    return None


def _query_set(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def deep_page_find(
    first: str, row: int, headers: dict[str, str], walk_size: tuple[str, int] | None = None
) -> tuple[str, int]:
    """The address of the page that starts at ``row`` (or of the last page), found by
    following ``next`` links from the first page; returns it and the row it starts at.

    An offset link is jumped to directly. ``walk_size`` (parameter, size) walks with bigger
    pages where the server's links are positions independent of the page size (keyset
    cursors and tokens), and asks for the normal size in the address it returns; a server
    that refuses the bigger page is walked with the normal one.
    """
    url = _query_set(first, **{walk_size[0]: str(walk_size[1])}) if walk_size else first
    reached = 0
    while reached < row:
        status, body, answer_headers = _get(url, headers)
        if status != 200 and walk_size and reached == 0:
            return deep_page_find(first, row, headers)
        if status != 200:
            raise SystemExit(f"{url} answered {status} while walking to row {row}")
        link = _next_link(body, answer_headers, url)
        if link is None:
            break
        if "offset" in dict(parse_qsl(urlsplit(link).query)):
            url, reached = _query_set(link, offset=str(row)), row
            break
        reached += len(_rows(body))
        url = link
    if walk_size:
        url = _query_set(url, **{walk_size[0]: str(PAGE)})
    return url, reached


# ---------------------------------------------------------------------------- data sets


def _run(command: list[str], env: dict[str, str], log: TextIO) -> str:
    log.write(f"$ {' '.join(command)}\n")
    log.flush()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    log.write(done.stdout + done.stderr)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _smartplan_env(src: Path, folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SMARTPLAN_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        PYTHONPATH=str(src),
        SMARTPLAN_DATA_DIR=str(folder),
        SMARTPLAN_DEBUG="0",
        DJANGO_SETTINGS_MODULE="smartplan.settings",
    )
    return env


def data_set_build(data_set: DataSet, src: Path, cache: Path, rebuild: bool, log: TextIO) -> Built:
    """Build the data set in the cache, or reuse it; migrations run every time."""
    migrations = sorted(str(p.relative_to(src)) for p in src.glob("smartplan/*/migrations/*.py"))
    key = hashlib.sha256(
        json.dumps([data_set.scale, data_set.observations, migrations]).encode()
    ).hexdigest()[:10]
    folder = cache / f"scale{data_set.scale}-obs{data_set.observations}-{key}"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = _smartplan_env(src, folder)
    smartplan = [sys.executable, "-m", "smartplan.cli"]
    started = time.perf_counter()
    _run([*smartplan, "migrate", "--verbosity", "0"], env, log)
    plan: list[str] = []
    if data_set.scale == 1:
        _run([*smartplan, "load-demo"], env, log)
        plan = ["--plan", "liberec-2020"]
    elif not (folder / "generated").exists():
        _run([*smartplan, "generate-synthetic", "--scale", str(data_set.scale)], env, log)
        (folder / "generated").touch()
    answer = _run(
        [
            sys.executable,
            str(BENCH / "api_data.py"),
            *plan,
            "--observations",
            str(data_set.observations),
        ],
        env,
        log,
    )
    facts = json.loads(answer.strip().splitlines()[-1])
    print(
        f"  {data_set.name}: {folder} ready in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{n} {name}" for name, n in facts["counts"].items()),
        file=sys.stderr,
    )
    return Built(data_set, folder, facts["slug"], facts["id"], facts["token"], facts["counts"])


# ---------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(
    name: str, command: list[str], env: dict[str, str], probe: str, logs: Path
) -> Iterator[str]:
    """Start a server on a free loopback port, wait until it answers ``probe``, yield its
    base address, and stop it (its whole process group) afterwards."""
    port = _free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    base = f"http://127.0.0.1:{port}"
    log_path = logs / f"{name.replace(' ', '-')}-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"{name} stopped at start:\n{log_path.read_text()[-3000:]}")
                try:
                    _get(base + probe, {})
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"{name} did not answer within 90 s") from None
                    time.sleep(0.2)
            yield base
        finally:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _gunicorn(app: str) -> list[str]:
    # The options smartplan.core.server.serve gives gunicorn, minus the report worker.
    return [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--access-logfile",
        "-",
    ]


def _datasette() -> str:
    beside = Path(sys.executable).parent / "datasette"
    found = str(beside) if beside.exists() else shutil.which("datasette")
    if not found:
        raise SystemExit("Datasette is not installed (it is a dev dependency: uv sync --dev).")
    return found


# ---------------------------------------------------------------------------- targets


def smartplan_targets(base: str, built: Built) -> list[Target]:
    auth = {"Authorization": f"Token {built.token}"}
    targets = []
    for register in REGISTERS:
        for path in register.paths:
            first = f"{base}/api/v1/plans/{built.slug}/{path}"
            status, body, _ = _get(first, auth)
            if status == 200:
                break
        else:
            print(f"  smartplan serves no {register.name} list; left out", file=sys.stderr)
            continue
        rows = len(_rows(body))
        if rows == 0 and built.counts.get(register.name):
            raise SystemExit(
                f"{first} lists no rows for the benchmark account, though the plan has "
                f"{built.counts[register.name]}: grant it the plan's coordinator role in "
                "benchmarks/api_data.py (_account_token)."
            )
        headers = tuple(auth.items())
        targets.append(Target("smartplan", register.name, "first page", first, rows, headers))
        total = built.counts.get(register.name, 0)
        if total >= DEEP_MIN_ROWS:
            wanted = min(DEEP_ROW, (total - PAGE) // 1000 * 1000)  # Datasette walks in 1000s
            deep, row = deep_page_find(first, wanted, auth, walk_size=("limit", 500))
            page = f"row {row:,}".replace(",", " ")
            rows = len(_rows(_get(deep, auth)[1]))
            targets.append(Target("smartplan", register.name, page, deep, rows, headers))
    return targets


def datasette_targets(base: str, built: Built, pages: list[Target], count: bool) -> list[Target]:
    """Datasette's keyset pages of the same rows as the smartplan pages measured.

    Datasette counts the matching rows on every page unless told ``_nocount=1``; a cursor
    page of the API counts nothing, so by default neither does Datasette (``count``: it
    does, as by its default).
    """
    targets = []
    for register in REGISTERS:
        mine = [t for t in pages if t.register == register.name]
        if not mine:
            continue
        first = (
            f"{base}/smartplan/{register.table}.json"
            f"?_size={PAGE}&plan_id={built.plan_id}&_shape=objects"
            + ("" if count else "&_nocount=1")
        )
        rows = len(_rows(_get(first, {})[1]))
        targets.append(Target("Datasette", register.name, "first page", first, rows))
        for page in mine[1:]:
            wanted = int(page.page.removeprefix("row ").replace(" ", ""))
            deep, row = deep_page_find(first, wanted, {}, walk_size=("_size", 1000))
            rows = len(_rows(_get(deep, {})[1]))
            label = f"row {row:,}".replace(",", " ")
            targets.append(Target("Datasette", register.name, label, deep, rows))
    return targets


# ---------------------------------------------------------------------------- report


@dataclass
class Result:
    target: Target
    data_set: str
    connections: int
    load: Load


def _fmt(number: float) -> str:
    return f"{number:,.0f}".replace(",", " ") if number >= 100 else f"{number:.1f}"


def table(results: list[Result]) -> tuple[str, int]:
    """The Markdown table and the number of targets missed."""
    index = {
        (r.target.server, r.target.register, r.target.page, r.data_set, r.connections): r
        for r in results
    }
    lines = [
        "| endpoint | data set | conns | rows | req/s | p50 ms | p95 ms | errors "
        "| × Datasette | × bare | targets |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    missed = 0
    for r in results:
        t, load = r.target, r.load
        name = "bare DRF view" if t.server == "bare DRF" else f"{t.server}: {t.register}, {t.page}"
        vs_ds = vs_bare = "–"
        checks: list[str] = []
        if t.server == "smartplan":
            ds = index.get(("Datasette", t.register, t.page, r.data_set, r.connections))
            if ds is None:  # the Datasette walk ended elsewhere (a shorter table)
                ds = next(
                    (
                        x
                        for x in results
                        if x.target.server == "Datasette"
                        and x.target.register == t.register
                        and x.data_set == r.data_set
                        and x.connections == r.connections
                        and x.target.page != "first page"
                    ),
                    None,
                )
            bare = index.get(("bare DRF", "", "fixed list", r.data_set, r.connections))
            if ds and ds.load.rps:
                ratio = load.rps / ds.load.rps
                vs_ds = f"{ratio:.2f}"
                checks.append(f"≥ {TARGET_DATASETTE:g}× DS " + _verdict(ratio >= TARGET_DATASETTE))
            if bare and bare.load.rps:
                ratio = load.rps / bare.load.rps
                vs_bare = f"{ratio:.2f}"
                checks.append(f"≥ {TARGET_BARE:.0%} bare " + _verdict(ratio >= TARGET_BARE))
            first = index.get(("smartplan", t.register, "first page", r.data_set, r.connections))
            if t.page != "first page" and first and first.load.rps:
                ok = load.rps >= DEEP_TOLERANCE * first.load.rps
                checks.append(f"deep ≥ first {load.rps / first.load.rps:.2f} " + _verdict(ok))
            if load.errors:
                checks.append("errors FAIL")
            missed += sum("FAIL" in check for check in checks)
        lines.append(
            f"| {name} | {r.data_set} | {r.connections} | {t.rows} | {_fmt(load.rps)} "
            f"| {load.percentile(50):.0f} | {load.percentile(95):.0f} | {load.errors} "
            f"| {vs_ds} | {vs_bare} | {', '.join(checks)} |"
        )
    return "\n".join(lines), missed


def _verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


# ---------------------------------------------------------------------------- run


def _timeout(signum: int, frame: FrameType | None) -> None:
    raise SystemExit("the benchmark ran over its --time-limit; servers stopped")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=BENCH.parent / "src",
        help="the src folder of the checkout to measure (default: this one)",
    )
    parser.add_argument("--scale", type=int, default=100, help="size of the large plan")
    parser.add_argument("--demo-observations", type=int, default=60_000)
    parser.add_argument("--large-observations", type=int, default=600_000)
    parser.add_argument("--connections", type=int, nargs="+", default=[10, 20])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warm-up", type=float, default=1.0, help="seconds before each")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure everything N times, keep the median"
    )
    parser.add_argument("--quick", action="store_true", help="demo only, 2 s each, no record")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "smartplan-bench-api",
        help="folder of the built data sets, reused by later runs",
    )
    parser.add_argument(
        "--datasette-count",
        action="store_true",
        help="let Datasette count the rows on every page (its default; off: _nocount=1)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the data sets anew")
    parser.add_argument("--label", default="", help="what is measured, for RESULTS-api.md")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS-api.md")
    parser.add_argument("--time-limit", type=int, default=1200, help="seconds for the whole run")
    args = parser.parse_args()

    src = args.src.resolve()
    data_sets = [DataSet("demo (1×)", 1, args.demo_observations)]
    if args.quick:
        args.duration, args.warm_up, args.no_record = 2.0, 0.5, True
    else:
        data_sets.append(DataSet(f"synthetic ({args.scale}×)", args.scale, args.large_observations))
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(args.time_limit)
    started = time.perf_counter()
    described = machine()
    logs = Path(tempfile.mkdtemp(prefix="smartplan-bench-api-logs-"))
    print(f"building data sets in {args.cache} (logs in {logs})", file=sys.stderr)
    with (logs / "build.log").open("w") as log:
        built = [data_set_build(d, src, args.cache, args.rebuild, log) for d in data_sets]

    bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["PYTHONPATH"] = str(BENCH)
    results: list[Result] = []
    with served(
        "bare DRF", _gunicorn("bare_drf_site:application"), bare_env, "/items/", logs
    ) as bare_base:
        bare = Target("bare DRF", "", "fixed list", f"{bare_base}/items/", PAGE)
        for data in built:
            env = _smartplan_env(src, data.folder)
            with (
                served(
                    "smartplan", _gunicorn("smartplan.wsgi:application"), env, "/api/v1/", logs
                ) as base,
                served(
                    "Datasette",
                    [
                        _datasette(),
                        "serve",
                        str(data.database),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "{port}",
                        # Suggesting facets costs its first page up to half a second: a
                        # feature of the HTML explorer, not of paging through rows.
                        "--setting",
                        "suggest_facets",
                        "off",
                    ],
                    os.environ.copy(),
                    "/-/versions.json",
                    logs,
                ) as ds_base,
            ):
                print(f"  {data.data_set.name}: finding pages", file=sys.stderr)
                mine = smartplan_targets(base, data)
                theirs = datasette_targets(ds_base, data, mine, args.datasette_count)
                # Rounds alternate the servers, so a busy machine slows each alike.
                rounds: dict[tuple[Target, int], list[Load]] = {}
                for number in range(1, args.rounds + 1):
                    for connections in args.connections:
                        for target in [*mine, *theirs, bare]:
                            load = load_measure(target, connections, args.duration, args.warm_up)
                            rounds.setdefault((target, connections), []).append(load)
                            print(
                                f"  {data.data_set.name} round {number} {connections:>3} conns "
                                f"{target.server}: {target.register} {target.page}: "
                                f"{load.rps:.1f} req/s, p95 {load.percentile(95):.0f} ms, "
                                f"{load.errors} errors",
                                file=sys.stderr,
                            )
                for (target, connections), loads in rounds.items():
                    median = sorted(loads, key=lambda x: x.rps)[len(loads) // 2]
                    results.append(Result(target, data.data_set.name, connections, median))
    signal.alarm(0)

    # Put each smartplan row beside the Datasette and bare rows it is compared with.
    order = {"smartplan": 0, "Datasette": 1, "bare DRF": 2}
    results.sort(
        key=lambda r: (
            [d.name for d in data_sets].index(r.data_set),
            r.connections,
            [g.name for g in REGISTERS].index(r.target.register) if r.target.register else 99,
            r.target.page != "first page",
            order[r.target.server],
        )
    )
    text, missed = table(results)
    facts = run_facts(src)
    sizes = "; ".join(
        f"{b.data_set.name}: plan {b.slug}, "
        + ", ".join(f"{n:,} {name}".replace(",", " ") for name, n in b.counts.items())
        for b in built
    )
    details = [
        f"Machine: {described}",
        f"Data: {sizes}",
        f"Load: {args.duration:g} s per line after {args.warm_up:g} s warm-up, "
        f"median of {args.rounds} round(s), "
        f"{PAGE} rows a page; gunicorn 2 sync workers (smartplan, SMARTPLAN_DEBUG=0; "
        "bare view); Datasette one process, facet suggestions off, "
        f"{'counting rows' if args.datasette_count else 'no row count (_nocount=1)'}; "
        "client on the same machine",
        f"Run took {time.perf_counter() - started:.0f} s; {missed} target(s) missed",
    ]
    publish(
        section(facts=facts, label=args.label, details=details, table=text),
        path=RESULTS,
        intro="# API throughput (benchmarks/api_throughput.py)\n\n"
        "Each run appends a section. Targets (issue 10): ≥ 2× Datasette's keyset page "
        "of the same rows, ≥ 30 % of a bare DRF view, deep page ≥ 0.9× the first. "
        "The client runs on the same machine as the servers; compare the\nlines of one "
        "run with each other (the load average at start says how busy the machine "
        "was).\n\n",
        record=not args.no_record,
    )
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
