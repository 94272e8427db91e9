"""What every benchmark's report says besides its figures: the machine, the checkout, the
date, and the results file each run appends its section to.

Shared by api_throughput.py, portal_throughput.py and suite.py (``benchmarks/run``).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import subprocess
import sys
from contextlib import suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


def git(src: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(src), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def _os_name() -> str:
    with suppress(OSError, AttributeError):
        return str(platform.freedesktop_os_release().get("PRETTY_NAME", ""))
    return ""


def machine(extra: dict[str, str] | None = None) -> str:
    """Cores, CPU model, RAM, OS, load average now, and the versions that shape the figures."""
    cpu = "?"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "?"

    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    system = " ".join(filter(None, [_os_name(), platform.system(), platform.release()]))
    versions = {
        "Python": platform.python_version(),
        "Django": version("django"),
        "DRF": version("djangorestframework"),
        "SQLite": sqlite3.sqlite_version,
        "gunicorn": version("gunicorn"),
        "Datasette": version("datasette"),
        **(extra or {}),
    }
    return (
        f"{os.cpu_count()} cores ({cpu}), {ram} RAM, {system}; load average at start {load}; "
        + ", ".join(f"{name} {value}" for name, value in versions.items())
    )


@dataclass(frozen=True)
class RunFacts:
    when: str  # "2026-12-02 05:10 UTC"
    checkout: str  # "<src> at <commit> (<branch>)[ (uncommitted changes)]"


def run_facts(src: Path) -> RunFacts:
    revision = git(src, "rev-parse", "--short", "HEAD") or "?"
    branch = git(src, "rev-parse", "--abbrev-ref", "HEAD") or "?"
    dirty = " (uncommitted changes)" if git(src, "status", "--porcelain", "--", ".") else ""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return RunFacts(when, f"{src.resolve()} at {revision} ({branch}){dirty}")


def results_append(path: Path, *, intro: str, report: str) -> None:
    """Append one run's section to ``path``, starting the file with ``intro`` if new."""
    if not path.exists():
        path.write_text(intro, encoding="utf-8")
    with path.open("a", encoding="utf-8") as results_file:
        results_file.write(report + "\n")


def section(*, facts: RunFacts, label: str, details: list[str], table: str) -> str:
    """One run's Markdown section: heading with the date, the checkout, ``details`` (one
    bullet each: machine, data, load, duration), then the table."""
    return "\n".join(
        [
            f"## {facts.when}" + (f": {label}" if label else ""),
            "",
            f"- Measured: {facts.checkout}",
            *(f"- {detail}" for detail in details),
            "",
            table,
            "",
        ]
    )


def publish(report: str, *, path: Path, intro: str, record: bool) -> None:
    """Print the section and, when ``record``, append it to ``path``."""
    print(report)
    if record:
        results_append(path, intro=intro, report=report)
        print(f"appended to {path}", file=sys.stderr)
