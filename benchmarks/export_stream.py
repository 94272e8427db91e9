"""The register CSV export of the measurements against ``sqlite3 -csv`` on the same query and
the same SQLite file, in one run; and the plan workbook's export and dry-run import, each in
its own process with its peak memory (VmHWM of /proc/self/status).

    .venv/bin/python benchmarks/export_stream.py --data-dir /tmp/big   # builds it if empty
    .venv/bin/python benchmarks/export_stream.py --data-dir /tmp/big --workbook
    # before and after in one run, and Datasette (the dev dependency) on the same file:
    git archive main src | tar -x -C /tmp/before
    .venv/bin/python benchmarks/export_stream.py --data-dir /tmp/big \
        --before-src /tmp/before/src --datasette

"first rows s" is when the first chunk holding rows arrives (the header leaves at once). On
SQLite the rows are read a block of sub-indicator codes at a time (exchange/ordered_blocks.py):
the first chunk is the first code's values, not the end of a sort of all rows (it was, 1.7 s
at 100x, when SQLite sorted the finished lines). The `sqlite3 -csv` line runs the same query in
one piece, sort included.

Building the data: ``smartplan generate-synthetic --scale 100
--measurements-per-sub-indicator 556`` (982 452 measurements). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# Run in a child process: streams the CSV to /dev/null, prints first-chunk time, total
# time, rows, bytes and the peak memory of the process.
CSV_CHILD = r"""
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
django.setup()
from smartplan.exchange.register_stream import register_csv_chunks, register_values
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.exchange.workbook_writer import register_rows

rows = register_rows(MEASUREMENTS, None)
if sys.argv[1] == "sql":
    print(str(register_values(MEASUREMENTS, rows).query))
    raise SystemExit
start = time.perf_counter()
cpu = time.process_time()
first = None
size = lines = 0
for chunk in register_csv_chunks(MEASUREMENTS, rows):
    size += len(chunk)
    lines += chunk.count(b"\r\n")
    if first is None and lines > 1:  # the first chunk holding rows, not just the header
        first = time.perf_counter() - start
total = time.perf_counter() - start
cpu = time.process_time() - cpu
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(cpu, first, total, lines - 1, size, int(hwm) // 1024)
"""

# The plan workbook written (export) or read back as a dry run (import), peak memory.
WORKBOOK_CHILD = r"""
import os, sys, time
from smartplan.cli import main
start = time.perf_counter()
try:
    main(sys.argv[1:])
except SystemExit as stop:
    if stop.code:
        raise
total = time.perf_counter() - start
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print("@@", total, int(hwm) // 1024, file=sys.stderr)
"""


def env(data_dir: Path, src: Path | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(src or ROOT / "src"),
        "SMARTPLAN_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "smartplan.settings",
    }


def build(data_dir: Path, scale: int, per_sub: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    if (data_dir / "smartplan.sqlite3").exists():
        return
    run = [PYTHON, "-m", "smartplan.cli"]
    subprocess.run([*run, "migrate", "-v0"], env=env(data_dir), check=True)
    subprocess.run(
        [
            *run,
            "generate-synthetic",
            "--scale",
            str(scale),
            "--measurements-per-sub-indicator",
            str(per_sub),
        ],
        env=env(data_dir),
        check=True,
    )


def sqlite_cli(data_dir: Path, sql: str) -> tuple[float, float, int, int]:
    sqlite3 = shutil.which("sqlite3")
    if sqlite3 is None:
        raise SystemExit("sqlite3 is missing: apt-get install sqlite3")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [sqlite3, "-csv", str(data_dir / "smartplan.sqlite3"), sql],
        capture_output=True,
        check=True,
    ).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, out.count(b"\n"), len(out)


def smartplan_csv(
    data_dir: Path, src: Path | None = None
) -> tuple[float, float, float, int, int, int]:
    out = subprocess.run(
        [PYTHON, "-c", CSV_CHILD, "csv"], env=env(data_dir, src), capture_output=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), int(out[3]), int(out[4]), int(out[5])


def datasette_csv(data_dir: Path) -> tuple[int, float, float]:
    """Datasette (the dev dependency) serving the same file, its streaming CSV of the whole
    measurements table read to the end: rows, seconds, first byte."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    datasette = str(Path(PYTHON).with_name("datasette"))
    # -i: the file is immutable, Datasette opens it read-only.
    command = [
        datasette, "serve", "-i", str(data_dir / "smartplan.sqlite3"), "--host", "127.0.0.1",
        "--port", str(port), "--setting", "suggest_facets", "off",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        url = f"{base}/smartplan/indicators_measurement.csv?_stream=on&_size=max"
        start = time.perf_counter()
        first = None
        lines = 0
        with urllib.request.urlopen(url, timeout=600) as response:
            while chunk := response.read1(1 << 16):
                if first is None:
                    first = time.perf_counter() - start
                lines += chunk.count(b"\n")
        return lines - 1, time.perf_counter() - start, first or 0.0
    finally:
        server.terminate()
        server.wait()


def workbook_run(data_dir: Path, *args: str) -> tuple[float, int, str]:
    done = subprocess.run(
        [PYTHON, "-c", WORKBOOK_CHILD, *args], env=env(data_dir), capture_output=True, text=True
    )
    figures = [line for line in done.stderr.splitlines() if line.startswith("@@")]
    if not figures:
        return float("nan"), 0, (done.stdout + done.stderr)[-2000:]
    _at, seconds, peak = figures[-1].split()
    return float(seconds), int(peak), done.stdout[-2000:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--measurements-per-sub-indicator", type=int, default=556)
    parser.add_argument("--workbook", action="store_true", help="also export and import it")
    parser.add_argument(
        "--before-src",
        type=Path,
        action="append",
        default=[],
        help="also run the export of another checkout's src (e.g. `git archive` of main), "
        "to compare before and after in the same run",
    )
    parser.add_argument(
        "--datasette", action="store_true", help="also download Datasette's streaming CSV"
    )
    args = parser.parse_args()
    build(args.data_dir, args.scale, args.measurements_per_sub_indicator)
    sql = subprocess.run(
        [PYTHON, "-c", CSV_CHILD, "sql"],
        env=env(args.data_dir),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    cli_s, cli_cpu, cli_rows, cli_bytes = sqlite_cli(args.data_dir, sql)
    cpu, first, total, rows, size, peak = smartplan_csv(args.data_dir)
    before = [(src, smartplan_csv(args.data_dir, src)) for src in args.before_src]
    streamed = datasette_csv(args.data_dir) if args.datasette else None
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"load average: {load} on {os.cpu_count()} cores\n")
    print(
        "| CSV of the measurements | rows | s | CPU s | first rows s | rows/s | rows/CPU s "
        "| MB | peak MB | ratio (wall) | ratio (CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| `sqlite3 -csv` | {cli_rows} | {cli_s:.2f} | {cli_cpu:.2f} | – "
        f"| {cli_rows / cli_s:,.0f} | {cli_rows / cli_cpu:,.0f} | {cli_bytes / 1e6:.0f} "
        "| – | 1 | 1 |"
    )
    print(
        f"| smartplan register export (streamed) | {rows} | {total:.2f} | {cpu:.2f} "
        f"| {first:.3f} | {rows / total:,.0f} | {rows / cpu:,.0f} | {size / 1e6:.0f} | {peak} "
        f"| {(rows / total) / (cli_rows / cli_s):.2f} | {(rows / cpu) / (cli_rows / cli_cpu):.2f} |"
    )
    for src, (b_cpu, b_first, b_total, b_rows, b_size, b_peak) in before:
        print(
            f"| the same, code of {src} | {b_rows} | {b_total:.2f} | {b_cpu:.2f} "
            f"| {b_first:.3f} | {b_rows / b_total:,.0f} | {b_rows / b_cpu:,.0f} "
            f"| {b_size / 1e6:.0f} | {b_peak} | {(b_rows / b_total) / (cli_rows / cli_s):.2f} "
            f"| {(b_rows / b_cpu) / (cli_rows / cli_cpu):.2f} |"
        )
    if streamed is not None:
        d_rows, d_seconds, d_first = streamed
        print(
            f"| Datasette streaming CSV (all columns) | {d_rows} | {d_seconds:.2f} | – "
            f"| {d_first:.3f} | {d_rows / d_seconds:,.0f} | – | – | – "
            f"| {(d_rows / d_seconds) / (cli_rows / cli_s):.2f} | – |"
        )
        print(
            f"\nsmartplan vs Datasette (rows/s, wall): {(rows / total) / (d_rows / d_seconds):.1f}×"
        )
    if args.workbook:
        target = args.data_dir / "plan.xlsx"
        slug = subprocess.run(
            [
                PYTHON,
                "-c",
                "import django,os;django.setup();from smartplan.plans.models import Plan;"
                "print(Plan.objects.order_by('-pk').first().slug)",
            ],
            env=env(args.data_dir),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        out_s, out_peak, _ = workbook_run(
            args.data_dir, "export", "--plan", slug, "-o", str(target)
        )
        in_s, in_peak, report = workbook_run(
            args.data_dir, "import", str(target), "--plan", slug, "--dry-run"
        )
        print("\n| plan workbook | s | peak MB | MB |")
        print("|---|---|---|---|")
        size_mb = target.stat().st_size / 1e6 if target.exists() else 0
        print(f"| export (write-only) | {out_s:.1f} | {out_peak} | {size_mb:.0f} |")
        print(f"| dry-run import of it | {in_s:.1f} | {in_peak} | – |")
        print("\n" + report)


if __name__ == "__main__":
    main()
