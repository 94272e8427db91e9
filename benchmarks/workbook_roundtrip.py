"""A plan's workbook round trip: ``smartplan export``, openpyxl's read of the file, and
``smartplan import`` of it (a dry run, then optionally a real one on a copy), each in its own
process with its wall time and peak memory (VmHWM of /proc/self/status), in one run.

    .venv/bin/python benchmarks/workbook_roundtrip.py --data-dir /tmp/big
    .venv/bin/python benchmarks/workbook_roundtrip.py --data-dir /tmp/big --reuse --write
    .venv/bin/python benchmarks/workbook_roundtrip.py --data-dir /tmp/big --before ../main/src

``--data-dir`` holds ``smartplan.sqlite3`` (a COPY: the real import writes to it). With
``--reuse`` an existing ``plan.xlsx`` there is read back instead of being exported again.
The issue's target: the import takes at most 3x openpyxl's read-only read of the same file,
and no process peaks above 1 GB. Prints a Markdown table and the import's report.

Measured 2 December 2026 on the 100x plan (982 452 measurements, 5 300 stack items, a 28 MB
workbook), 2 cores shared with other work (load average 6.9, so CPU seconds are the figures
to compare): openpyxl's read 107.9 CPU s, 132 MB; the dry-run import 124.1 CPU s (1.15x),
296 MB peak, every row unchanged; the code before (whole sheets kept, every measurement
compared in one go) 181.5 CPU s (1.68x) and 2 414 MB. At 10x: 14.8 CPU s and 145 MB
against 20.7 CPU s and 366 MB before, openpyxl 10.0 CPU s.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path

from benchmarks.export_stream import WORKBOOK_CHILD, env, workbook_run

PYTHON = sys.executable

# openpyxl alone: every cell value of every sheet, read-only, as the import reads it.
OPENPYXL_CHILD = r"""
import sys, time
from openpyxl import load_workbook
start = time.perf_counter()
workbook = load_workbook(sys.argv[1], read_only=True, data_only=False)
cells = 0
for ws in workbook.worksheets:
    ws.reset_dimensions()
    for row in ws.iter_rows(values_only=True):
        cells += len(row)
workbook.close()
total = time.perf_counter() - start
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print("@@", total, int(hwm) // 1024, cells, file=sys.stderr)
"""


def cpu_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def openpyxl_read(path: Path) -> tuple[float, int]:
    done = subprocess.run(
        [PYTHON, "-c", OPENPYXL_CHILD, str(path)], capture_output=True, text=True, check=True
    )
    figures = [line for line in done.stderr.splitlines() if line.startswith("@@")]
    _at, seconds, peak, _cells = figures[-1].split()
    return float(seconds), int(peak)


def import_with(src: Path, data_dir: Path, *args: str) -> tuple[float, int, str]:
    """``smartplan import`` run with the code of another checkout (the figures before)."""
    done = subprocess.run(
        [PYTHON, "-c", WORKBOOK_CHILD, "import", *args],
        env={**env(data_dir), "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
    )
    figures = [line for line in done.stderr.splitlines() if line.startswith("@@")]
    if not figures:
        return float("nan"), 0, (done.stdout + done.stderr)[-2000:]
    _at, seconds, peak = figures[-1].split()
    return float(seconds), int(peak), done.stdout[-2000:]


def plan_slug(data_dir: Path) -> str:
    return subprocess.run(
        [
            PYTHON,
            "-c",
            "import django;django.setup();from smartplan.plans.models import Plan;"
            "print(Plan.objects.order_by('-pk').first().slug)",
        ],
        env=env(data_dir),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--reuse", action="store_true", help="read back an existing plan.xlsx")
    parser.add_argument("--write", action="store_true", help="also a real (writing) import")
    parser.add_argument(
        "--before", type=Path, help="src/ of another checkout: its dry-run import, same run"
    )
    args = parser.parse_args()
    assert WORKBOOK_CHILD
    target = args.data_dir / "plan.xlsx"
    slug = plan_slug(args.data_dir)
    rows: list[tuple[str, float, float, int]] = []
    cpu = cpu_children()

    def add(name: str, seconds: float, peak: int) -> None:
        nonlocal cpu
        now = cpu_children()
        rows.append((name, seconds, now - cpu, peak))
        cpu = now

    if not (args.reuse and target.exists()):
        out_s, out_peak, _ = workbook_run(
            args.data_dir, "export", "--plan", slug, "-o", str(target)
        )
        add("export (write-only)", out_s, out_peak)
    read_s, read_peak = openpyxl_read(target)
    add("openpyxl read-only read of the file", read_s, read_peak)
    read_cpu = rows[-1][2]
    in_s, in_peak, report = workbook_run(
        args.data_dir, "import", str(target), "--plan", slug, "--dry-run"
    )
    add("smartplan import --dry-run", in_s, in_peak)
    if args.before:
        b_s, b_peak, _ = import_with(
            args.before, args.data_dir, str(target), "--plan", slug, "--dry-run"
        )
        add(f"smartplan import --dry-run, code of {args.before}", b_s, b_peak)
    if args.write:
        w_s, w_peak, w_report = workbook_run(args.data_dir, "import", str(target), "--plan", slug)
        add("smartplan import (writes; unchanged rows)", w_s, w_peak)
        report += "\n" + w_report
    print(
        f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(f"file: {target.stat().st_size / 1e6:.0f} MB\n")
    print("| step | s | CPU s | peak MB | s / openpyxl read | CPU s / openpyxl read |")
    print("|---|---|---|---|---|---|")
    for name, seconds, used, peak in rows:
        print(
            f"| {name} | {seconds:.1f} | {used:.1f} | {peak} | {seconds / read_s:.2f} "
            f"| {used / read_cpu:.2f} |"
        )
    print("\n" + report)


if __name__ == "__main__":
    main()
