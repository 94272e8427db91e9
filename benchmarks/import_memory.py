"""Peak memory of the measurements' CSV import at 1x, 10x and 100x, before and after, in one
run: each plan's measurements are exported with smartplan's own CSV export (the file a user
downloads), then imported back with ``smartplan import-measurements --dry-run`` into a COPY
of the data set, once with this checkout's code and once with another's (``--before``), each
in its own process with its wall time and peak memory (VmHWM of /proc/self/status).

    .venv/bin/python benchmarks/import_memory.py --work /tmp/importmem \\
        --set 1x=/tmp/smartplan-bench-suite/sqlite-1x1-m556-f84e129777 \\
        --set 10x=/tmp/smartplan-bench-suite/sqlite-10x1-m556-1466835c39 \\
        --set 100x=/tmp/smartplan-bench-suite/sqlite-100x1-m556-d5795105cb \\
        --before /work/main/src

The data sets are only read (their files are copied into ``--work`` first). The row limit
of the code before (200 000 rows for any CSV) is lifted in both processes, so the two read
the same file; so is the unpacked size limit of the code before (400 MB, which refused the
100x plan's own ODS). With ``--ods`` the plan is also exported as ODS (``smartplan export``) and
imported back with ``smartplan import --dry-run``. Prints a Markdown table.

Measured 2 December 2026 (2 cores shared with five other sessions, load average 6-11: CPU
seconds are the figures to compare), every row found unchanged:

| file | rows | before CPU s | before MB | after CPU s | after MB |
|---|---:|---:|---:|---:|---:|
| 10x CSV (8 MB) | 102 304 | 7.7 | 268 | 7.5 | 108 |
| 100x CSV (79 MB) | 982 452 | 22.9 | 1 671 | 25.8 | 122 |
| 10x ODS (1.7 MB) | 102 304 | 18.1 | 244 | 20.1 | 138 |
| 100x ODS (16.7 MB) | 982 452 | 98.4 | 1 316 | 100.4 | 253 |

(1x CSV: 116 -> 107 MB. The code before refused the 100x CSV for its length and the 100x
ODS for its unpacked size; both limits were lifted for it here.)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

EXPORT_CHILD = r"""
import sys, django
django.setup()
from smartplan.exchange.register_stream import register_csv_chunks
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.indicators.models import Measurement
from smartplan.plans.models import Plan
plan = Plan.objects.order_by("pk").first()
rows = Measurement.objects.filter(plan=plan).order_by("sub_indicator__code", "date")
with open(sys.argv[1], "wb") as out:
    for chunk in register_csv_chunks(MEASUREMENTS, rows):
        out.write(chunk)
print(plan.slug, rows.count())
"""

IMPORT_CHILD = r"""
import sys, time
from smartplan.core import csv_reader
csv_reader.MAX_ROWS = 10_000_000  # the code before refused any CSV past 200 000 rows
from smartplan.exchange import workbook_reader
workbook_reader.MAX_UNPACKED_BYTES = 2**31  # ... and the 100x plan's ODS (662 MB unpacked)
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


def env(data_dir: Path, src: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(src),
        "SMARTPLAN_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "smartplan.settings",
    }


def copy_set(source: Path, target: Path) -> None:
    """The data set's files (the database with its WAL) copied; the source only read."""
    if (target / "smartplan.sqlite3").exists():
        return
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_file():
            shutil.copy2(item, target / item.name)
        elif item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)


def export(data_dir: Path) -> tuple[str, int, Path]:
    csv_path = data_dir / "measurements.csv"
    done = subprocess.run(
        [PYTHON, "-c", EXPORT_CHILD, str(csv_path)],
        env=env(data_dir, ROOT / "src"),
        capture_output=True,
        text=True,
        check=True,
    )
    slug, count = done.stdout.split()[-2:]
    return slug, int(count), csv_path


def ods_export(data_dir: Path, slug: str) -> Path:
    path = data_dir / "plan.ods"
    if not path.exists():
        subprocess.run(
            [PYTHON, "-m", "smartplan.cli", "export", "--plan", slug, "-o", str(path)],
            env=env(data_dir, ROOT / "src"),
            capture_output=True,
            check=True,
        )
    return path


def cpu_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def imported(
    data_dir: Path, src: Path, slug: str, path: Path, command: str = "import-measurements"
) -> tuple[float, int, str]:
    """CPU seconds (the machine is shared: wall time says little), peak MB, the report."""
    cpu = cpu_children()
    done = subprocess.run(
        [PYTHON, "-c", IMPORT_CHILD, command, "--plan", slug, str(path), "--dry-run"],
        env=env(data_dir, src),
        capture_output=True,
        text=True,
    )
    figures = [line for line in done.stderr.splitlines() if line.startswith("@@")]
    if not figures:
        return float("nan"), 0, (done.stdout + done.stderr)[-600:].replace("\n", " ")
    _at, _wall, peak = figures[-1].split()
    return cpu_children() - cpu, int(peak), done.stdout.strip().splitlines()[-1][:120]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, required=True, help="copies and CSV files go here")
    parser.add_argument("--set", action="append", required=True, help="NAME=DATA_DIR")
    parser.add_argument("--before", type=Path, help="the src folder of the code before")
    parser.add_argument("--ods", action="store_true", help="also the plan's ODS, imported back")
    parser.add_argument("--no-csv", action="store_true", help="only the ODS")
    args = parser.parse_args()
    lines = [
        "| file | rows | MB | before CPU s | before MB | after CPU s | after MB | after's report |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for given in args.set:
        name, folder = given.split("=", 1)
        data_dir = args.work / name
        copy_set(Path(folder), data_dir)
        slug, count, csv_path = export(data_dir)
        files = [] if args.no_csv else [("CSV", csv_path, "import-measurements")]
        if args.ods:
            files.append(("ODS", ods_export(data_dir, slug), "import"))
        for kind, path, command in files:
            size = path.stat().st_size / 2**20
            before = imported(data_dir, args.before, slug, path, command) if args.before else None
            after = imported(data_dir, ROOT / "src", slug, path, command)
            b_s, b_mb = (f"{before[0]:.1f}", str(before[1])) if before else ("–", "–")
            lines.append(
                f"| {name} {kind} | {count} | {size:.1f} | {b_s} | {b_mb} | {after[0]:.1f} "
                f"| {after[1]} | {after[2]} |"
            )
            print(lines[-1], flush=True)
            if before and before[1] == 0:
                print("before:", before[2], flush=True)
    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
