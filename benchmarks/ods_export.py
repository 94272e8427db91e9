"""The ODS export (streamed, :mod:`smartplan.exchange.ods_package`) against the XLSX export
(openpyxl write-only) of the same data, in one run: the measurements register alone and the
whole plan workbook, each in its own process with its wall time and peak memory (VmHWM of
/proc/self/status), written to files in ``--out``.

    .venv/bin/python benchmarks/ods_export.py --data-dir /tmp/copy-of-100x --out /tmp/ods

``--data-dir`` is a SMARTPLAN_DATA_DIR holding smartplan.sqlite3 (a copy: nothing is written
to the database, but never point it at the benchmark cache). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
import django
django.setup()
from pathlib import Path
from openpyxl import Workbook
from smartplan.exchange.ods_writer import plan_ods_save, register_ods_save
from smartplan.exchange.registers import MEASUREMENTS
from smartplan.exchange.workbook_writer import plan_workbook_save, register_rows, write_register
from smartplan.plans.models import Plan

what, fmt, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
plan = Plan.objects.order_by("pk").first()
start = time.perf_counter()
if what == "register":
    rows = register_rows(MEASUREMENTS, plan)
    if fmt == "ods":
        register_ods_save(MEASUREMENTS, rows, out)
    else:
        workbook = Workbook(write_only=True)
        write_register(workbook.create_sheet(MEASUREMENTS.name), MEASUREMENTS, rows)
        workbook.save(out)
else:
    (plan_ods_save if fmt == "ods" else plan_workbook_save)(plan=plan, target=out)
total = time.perf_counter() - start
hwm = int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))
print(total, hwm // 1024, out.stat().st_size)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("exports", nargs="*", default=["register", "plan"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "SMARTPLAN_DATA_DIR": str(args.data_dir),
        "DJANGO_SETTINGS_MODULE": "smartplan.settings",
    }
    print(f"load average at start: {os.getloadavg()}")
    print("| export | format | seconds | peak MB | file MB |")
    print("|---|---|---|---|---|")
    for what in args.exports:
        for fmt in ("ods", "xlsx"):
            out = args.out / f"{what}.{fmt}"
            result = subprocess.run(
                [sys.executable, "-c", CHILD, what, fmt, str(out)],
                env=env,
                capture_output=True,
                text=True,
                timeout=1800,
                check=True,
            )
            seconds, peak, size = result.stdout.split()
            print(
                f"| {what} | {fmt} | {float(seconds):.1f} | {peak} | {int(size) / 1e6:.1f} |",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
