"""Data sets of ``benchmarks/run``: synthetic plans built once and kept in a cache folder.

A data set is a folder ``<cache>/<name>-<key>/`` holding a SQLite database (or, for
PostgreSQL, a marker: the server's data directory is kept beside it, see suite_postgres.py).
The key hashes the scale, the plans, the measurements per sub-indicator and the list of
migrations, so a changed schema or parameter builds afresh and an unchanged one is reused
(as api_throughput.py does). ``smartplan migrate`` runs every time (a no-op when current).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from api_throughput import _run, _smartplan_env  # type: ignore[import-not-found]

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Spec:
    """What ``smartplan generate-synthetic`` is asked for."""

    name: str  # "1×", "10×", "national"
    scale: int
    plans: int
    per_sub: int  # --measurements-per-sub-indicator


# The CSRF cookie a browser holds after its first page (Django sets it with the login form):
# sent with the logged-in pages, so a page with a form masks this secret as it would for a
# browser instead of making a new secret (64 random characters) and setting the cookie for
# each request.
BROWSER_CSRF_SECRET = secrets.token_hex(16)


@dataclass
class DataSet:
    spec: Spec
    folder: Path
    env: dict[str, str]  # the smartplan environment (data folder, database URL)
    reused: bool
    build_seconds: float
    slug: str  # the first plan
    plan_id: int
    token: str  # DRF token of the benchmark superuser
    session: str  # session key of the benchmark superuser (editing interface pages)
    counts: dict[str, int]

    @property
    def database(self) -> Path:
        return self.folder / "smartplan.sqlite3"

    @property
    def sessionid(self) -> tuple[str, str]:
        return ("Cookie", f"sessionid={self.session}; csrftoken={BROWSER_CSRF_SECRET}")


def cache_key(src: Path, spec: Spec) -> str:
    migrations = sorted(str(p.relative_to(src)) for p in src.glob("smartplan/*/migrations/*.py"))
    payload = [spec.scale, spec.plans, spec.per_sub, migrations]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:10]


def data_set_build(
    spec: Spec,
    *,
    src: Path,
    folder: Path,
    log: TextIO,
    env_extra: dict[str, str] | None = None,
    rebuild: bool = False,
) -> DataSet:
    """Generate the synthetic plans into ``folder`` unless a finished build is there."""
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = {**_smartplan_env(src, folder), **(env_extra or {})}
    smartplan = [sys.executable, "-m", "smartplan.cli"]
    done = folder / "generated"
    started = time.perf_counter()
    reused = done.exists()
    _run([*smartplan, "migrate", "--verbosity", "0"], env, log)
    if not reused:
        _run(
            [
                *smartplan,
                "generate-synthetic",
                "--plans",
                str(spec.plans),
                "--scale",
                str(spec.scale),
                "--measurements-per-sub-indicator",
                str(spec.per_sub),
            ],
            env,
            log,
        )
        done.touch()
    answer = _run([sys.executable, str(BENCH / "suite_probe.py"), "account"], env, log)
    facts = json.loads(answer.strip().splitlines()[-1])
    seconds = time.perf_counter() - started
    print(
        f"  {spec.name}: {'reused' if reused else 'built'} {folder} in {seconds:.0f} s: "
        + ", ".join(f"{n} {name}" for name, n in facts["counts"].items()),
        file=sys.stderr,
    )
    return DataSet(
        spec,
        folder,
        env,
        reused,
        seconds,
        facts["slug"],
        facts["id"],
        facts["token"],
        facts["session"],
        facts["counts"],
    )
