"""The register CSV export of the measurements against ``sqlite3 -csv`` on the same query and
the same SQLite file, in one run; and the plan workbook's export and dry-run import, each in
its own process with its peak memory (VmHWM of /proc/self/status).

    .venv/bin/python benchmarks/export_stream.py --data-dir /tmp/big   # builds it if empty
    .venv/bin/python benchmarks/export_stream.py --data-dir /tmp/big --workbook

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


def env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
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


def smartplan_csv(data_dir: Path) -> tuple[float, float, float, int, int, int]:
    out = subprocess.run(
        [PYTHON, "-c", CSV_CHILD, "csv"], env=env(data_dir), capture_output=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), int(out[3]), int(out[4]), int(out[5])


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
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
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
