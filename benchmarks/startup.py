"""Benchmark: start-up of smartplan with and without the reports and exchange apps.

Target (issue 9): ``django.setup()`` and ``smartplan help`` take at most 1.5 times as long
as in the same project without the reports and exchange apps, i.e. the report renderers
(WeasyPrint, python-docx, matplotlib) and openpyxl load when first used, not at start.
Every measurement is a fresh process; the variants alternate, so a busy machine slows both
alike. The "without" variant is a settings module written to a temporary folder for this
run (the project's settings minus the two apps); nothing of the project changes. Prints a
table; not part of the test run.

    .venv/bin/python benchmarks/startup.py [--repeat 7] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("matplotlib", "weasyprint", "docx", "openpyxl")
DROPPED = ("smartplan.reports", "smartplan.exchange")
WITHOUT_SETTINGS = f"""\
from smartplan.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in {DROPPED!r}]  # noqa: F405
"""
SETUP = (
    "import sys, django; django.setup(); "
    f"print(','.join(m for m in {HEAVY!r} if m in sys.modules) or '-')"
)


def _run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--src",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "src",
        help="the src folder of the checkout to measure",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="smartplan-startup-"))
    (scratch / "smartplan_without_exports.py").write_text(WITHOUT_SETTINGS, encoding="utf-8")
    base = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(args.src.resolve()), str(scratch)]),
        "SMARTPLAN_DATA_DIR": str(scratch / "data"),
    }
    variants = {
        "with": {**base, "DJANGO_SETTINGS_MODULE": "smartplan.settings"},
        "without": {**base, "DJANGO_SETTINGS_MODULE": "smartplan_without_exports"},
    }
    commands = {
        "django.setup()": [sys.executable, "-c", SETUP],
        "smartplan help": [sys.executable, "-c", "from smartplan.cli import main; main(['help'])"],
    }
    timings: dict[tuple[str, str], list[float]] = {}
    loaded: dict[str, str] = {}
    for _ in range(args.repeat):
        for what, command in commands.items():
            for variant, env in variants.items():
                seconds, last_line = _run(command, env)
                timings.setdefault((what, variant), []).append(seconds)
                if what == "django.setup()":
                    loaded[variant] = last_line

    print(f"smartplan start-up, median of {args.repeat} fresh processes ({args.src})")
    print(f"{'':<16}{'with':>10}{'without':>10}{'ratio':>8}  target")
    ratios = []
    for what in commands:
        with_s = statistics.median(timings[(what, "with")])
        without_s = statistics.median(timings[(what, "without")])
        ratios.append(with_s / without_s)
        print(
            f"{what:<16}{with_s:>9.2f}s{without_s:>9.2f}s{with_s / without_s:>8.2f}  "
            f"{'ok' if with_s / without_s <= 1.5 else 'OVER'} (≤ 1.5)"
        )
    print(
        f"heavy libraries after django.setup(): with {loaded['with']}, without {loaded['without']}"
    )
    sys.exit(0 if max(ratios) <= 1.5 else 1)


if __name__ == "__main__":
    main()
