"""Processes that tests start against a database of their own, and kill at a crash point.

pytest-django's database (in-memory SQLite, or a PostgreSQL test database inside a
transaction) is invisible to another process, so a kill test works on its own database:
a data folder with a file SQLite, or, when the tests run on PostgreSQL
(``scripts/with-postgres``), a database of its own on the same server. Migrating and
loading the demo take a while, so each is done once per session and copied for each test
(a file copy, or ``CREATE DATABASE … TEMPLATE``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import smartplan
from smartplan.core.crash_points import CRASH_ENV

SRC = Path(smartplan.__file__).resolve().parent.parent
TIMEOUT = 600


def _pg_url() -> str | None:
    url = os.environ.get("SMARTPLAN_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _pg_admin(sql: str) -> None:
    import psycopg

    url = _pg_url()
    assert url is not None
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


@dataclass
class CrashDatabase:
    """A database for subprocesses: a data folder, plus a PostgreSQL database name on PG."""

    data_dir: Path
    pg_name: str | None = None

    def env(self, crash_at: str | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
        env["DJANGO_SETTINGS_MODULE"] = "smartplan.settings"
        env["SMARTPLAN_DATA_DIR"] = str(self.data_dir)
        env.pop(CRASH_ENV, None)
        if crash_at:
            env[CRASH_ENV] = crash_at
        url = _pg_url()
        if url is not None and self.pg_name is not None:
            env["SMARTPLAN_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + self.pg_name
        else:
            env.pop("SMARTPLAN_DATABASE_URL", None)
        return env

    def smartplan(
        self, *args: str, crash_at: str | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run ``smartplan ARGS`` in a new process; returns it whatever its exit code."""
        return subprocess.run(
            [sys.executable, "-m", "smartplan.cli", *args],
            env=self.env(crash_at),
            cwd=self.data_dir,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def python(self, code: str, *args: str) -> Any:
        """Run ``code`` after django.setup() in a new process; returns the JSON it prints last."""
        prelude = "import django, json, sys\ndjango.setup()\n"
        done = subprocess.run(
            [sys.executable, "-c", prelude + code, *args],
            env=self.env(),
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def copy(self, target: Path) -> CrashDatabase:
        """A new database with this one's content (this one must be closed: no process on it)."""
        shutil.copytree(self.data_dir, target)
        if self.pg_name is None:
            return CrashDatabase(target)
        name = f"crash_{uuid.uuid4().hex[:12]}"
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_name}"')
        return CrashDatabase(target, name)

    def drop(self) -> None:
        if self.pg_name is not None:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def crash_database_new(data_dir: Path) -> CrashDatabase:
    """An empty, migrated database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    name = None
    if _pg_url() is not None:
        name = f"crash_{uuid.uuid4().hex[:12]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
    database = CrashDatabase(data_dir, name)
    done = database.smartplan("migrate", "--verbosity=0")
    assert done.returncode == 0, done.stderr
    return database


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrashDatabase]:
    """An empty migrated database, made once per session; copy it, never write to it."""
    database = crash_database_new(tmp_path_factory.mktemp("crash") / "migrated")
    yield database
    database.drop()


@pytest.fixture(scope="session")
def demo_database(
    migrated_database: CrashDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CrashDatabase]:
    """The demo plan loaded (its states computed), made once per session; copy it."""
    database = migrated_database.copy(tmp_path_factory.mktemp("crash") / "demo")
    done = database.smartplan("load-demo")
    assert done.returncode == 0, done.stderr
    yield database
    database.drop()


@pytest.fixture
def fresh_copy(tmp_path: Path) -> Iterator[Callable[[CrashDatabase], CrashDatabase]]:
    """Copies of the session's databases for one test, dropped after it."""
    made: list[CrashDatabase] = []

    def copy(template: CrashDatabase) -> CrashDatabase:
        made.append(template.copy(tmp_path / f"db{len(made)}"))
        return made[-1]

    yield copy
    for database in made:
        database.drop()
