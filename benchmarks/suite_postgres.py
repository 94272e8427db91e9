"""A private PostgreSQL server for ``benchmarks/run`` whose data directory stays in the cache.

Like scripts/with-postgres (a server of the Debian package on a free loopback port, trust
authentication, fsync off), but the data directory is kept in ``<cache>/postgres-<major>/``
so the data sets built in it are reused by the next run; one database per data set.
As root the server runs as the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from api_throughput import _free_port  # type: ignore[import-not-found]

USER = "smartplan"


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name or 0))
    return found[-1] if found else None


def pg_version() -> str:
    binaries = pg_bin()
    if binaries is None:
        return "not installed"
    done = subprocess.run(
        [str(binaries / "postgres"), "--version"], capture_output=True, text=True, check=False
    )
    found = re.search(r"\d+(\.\d+)+", done.stdout)  # postgres (PostgreSQL) 15.18 (Debian …)
    return found.group(0) if found else "?"


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextmanager
def postgres_server(cache: Path) -> Iterator[str]:
    """Start (initialising once) the cached server; yield a URL without a database name."""
    binaries = pg_bin()
    if binaries is None:
        raise SystemExit("PostgreSQL server binaries not found (Debian package postgresql).")
    home = cache / f"postgres-{binaries.parent.name}"
    data = home / "data"
    run = _as_server_user()
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        if run:
            shutil.chown(home, "postgres")
        subprocess.run(
            [*run, str(binaries / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        # Databases built in an earlier data directory are gone with it.
        shutil.rmtree(cache / "postgres-sets", ignore_errors=True)
        print(f"  PostgreSQL: new data directory {data}", file=sys.stderr)
    # Another run (e.g. --build-only) has the server: wait for it, a data directory
    # serves one server at a time.
    waited = time.monotonic()
    status = [*run, str(binaries / "pg_ctl"), "-D", str(data), "status"]
    while (
        subprocess.run(status, stdout=subprocess.DEVNULL, check=False).returncode == 0
        and time.monotonic() - waited < 1800
    ):
        if time.monotonic() - waited < 1:
            print("  PostgreSQL: waiting for another run's server to stop", file=sys.stderr)
        time.sleep(5)
    port = _free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {home} -c fsync=off -c full_page_writes=off "
        "-c synchronous_commit=off -c max_connections=100"
    )
    subprocess.run(
        [*run, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(home / "server.log"),
         "-w", "-o", options, "start"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"postgres://{USER}@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*run, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def database_ensure(base_url: str, name: str, fresh: bool) -> str:
    """The URL of database ``name``, created (anew when ``fresh``) on the server."""
    binaries = pg_bin()
    assert binaries is not None
    port = base_url.rsplit(":", 1)[1]
    common = ["-h", "127.0.0.1", "-p", port, "-U", USER]
    if fresh:
        subprocess.run(
            [str(binaries / "dropdb"), *common, "--if-exists", name],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    exists = subprocess.run(
        [str(binaries / "psql"), *common, "-d", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run([str(binaries / "createdb"), *common, name], check=True)
    return f"{base_url}/{name}"
