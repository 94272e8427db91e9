"""Public reads from a real streaming replica (``SMARTPLAN_DATABASE_REPLICA_URL``).

On PostgreSQL (``bash scripts/with-postgres pytest …``) the session makes a physical
standby of the test server with ``pg_basebackup -R``, starts it on a free port and waits
until it streams. The standby has every database of the primary, the test database too, so
the ``replica`` alias points at the standby's port with the test database's name.

The proof that a page was read from the replica: the standby's replay is paused, a change
is committed on the primary, and the page still shows the old value; once replay resumes,
the page shows the new one. The primary never lags behind itself, so only a read from the
replica can show the old value.

Why not Django's ``TEST: {"MIRROR": "default"}`` as such: at set-up it points the mirror
at the primary's test database and runs no transaction there, which suits a replica that
the test server stands in for. Here the alias is added after set-up, by the fixture, to a
server that did not exist before; it is marked a mirror only so that the transactional
tests' flush (a write) is not sent to the read-only standby. And the tests must be
transactional: a write inside a test's rolled-back transaction never reaches the standby.
"""

from __future__ import annotations

import copy
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.authtoken.models import Token

from smartplan.core.replica_router import REPLICA
from smartplan.opendata.models import DownloadCount
from smartplan.projects.models import FlagshipProject

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
ROUTED = {
    "DATABASE_ROUTERS": ["smartplan.core.replica_router.ReplicaRouter"],
    "MIDDLEWARE": [
        *settings.MIDDLEWARE[:-1],
        "smartplan.core.replica_router.PublicReadsMiddleware",
        settings.MIDDLEWARE[-1],
    ],
    # Render every page: the proof is in what the page shows.
    "PORTAL_PAGE_STORE": False,
}
pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a streaming replica needs PostgreSQL: run under bash scripts/with-postgres",
    ),
]


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.skip("PostgreSQL server binaries not found (Debian package postgresql)")
    return Path(found[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Standby:
    """The standby server: its data, port and a control connection (not Django's)."""

    folder: Path
    port: int
    primary: Any  # psycopg connections, autocommit
    control: Any

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the standby has replayed everything the primary committed so far."""
        # The test server commits without waiting for the disk (synchronous_commit=off),
        # and only flushed WAL is sent: one synchronous commit that wrote WAL (a message
        # for logical decoding, ignored by everyone) flushes everything before it.
        self.primary.execute("SELECT pg_logical_emit_message(true, 'smartplan-test', 'sync')")
        lsn = self.primary.execute("SELECT pg_current_wal_flush_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replayed = self.control.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(lsn)]
            ).fetchone()[0]
            if replayed:
                return
            time.sleep(0.05)
        raise AssertionError(f"the standby did not replay up to {lsn} in {timeout} s")

    def pause(self) -> None:
        self.control.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 30
        while self.control.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != (
            "paused"
        ):
            assert time.monotonic() < deadline, "the standby's replay did not pause"
            time.sleep(0.05)

    def resume(self) -> None:
        self.control.execute("SELECT pg_wal_replay_resume()")
        self.caught_up()


def _run(command: list[str], as_server: list[str]) -> None:
    done = subprocess.run(
        [*as_server, *command], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode:
        raise AssertionError(f"{command[0]} failed: {done.stderr or done.stdout}")


def _wait_streaming(primary: Any, control: Any) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        streaming = primary.execute(
            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        ).fetchone()[0]
        if streaming and control.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
            return
        time.sleep(0.1)
    raise AssertionError("the standby did not start streaming from the primary")


@pytest.fixture(scope="session")
def standby(django_db_setup: None, django_db_blocker: Any) -> Iterator[Standby]:
    """A physical streaming standby of the test server, as the ``replica`` alias; stopped
    and removed at the end of the session, also when a step fails."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL")
    import psycopg

    pg_bin = _pg_bin()
    # The server refuses to run as root: as scripts/with-postgres, run it as postgres.
    as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    source = connections["default"].settings_dict
    folder = Path(tempfile.mkdtemp(prefix="smartplan-standby."))
    if as_server:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    port = _free_port()
    primary = control = None
    try:
        _run(
            [
                str(pg_bin / "pg_basebackup"),
                *("-h", source["HOST"], "-p", str(source["PORT"]), "-U", source["USER"]),
                *("-D", str(data), "-R", "-X", "stream", "--checkpoint=fast"),
            ],
            as_server,
        )
        _run(
            [
                str(pg_bin / "pg_ctl"),
                *("-D", str(data), "-l", str(folder / "standby.log"), "-w", "-t", "60"),
                *("-o", f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c hot_standby=on"),
                "start",
            ],
            as_server,
        )
        conninfo = {"host": "127.0.0.1", "user": source["USER"], "dbname": source["NAME"]}
        primary = psycopg.connect(**conninfo, port=source["PORT"], autocommit=True)
        primary.execute("SET synchronous_commit = on")
        control = psycopg.connect(**conninfo, port=port, autocommit=True)
        _wait_streaming(primary, control)
        alias = copy.deepcopy(source)
        alias.update(HOST="127.0.0.1", PORT=str(port))
        # Not flushed by the transactional tests (the standby refuses writes); see above.
        alias["TEST"] = {**alias["TEST"], "MIRROR": "default"}
        connections.settings[REPLICA] = alias
        yield Standby(folder, port, primary, control)
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        for open_connection in (primary, control):
            if open_connection is not None:
                open_connection.close()
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*as_server, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def routed(standby: Standby) -> Iterator[Standby]:
    """The settings SMARTPLAN_DATABASE_REPLICA_URL gives, and the standby up to date."""
    with override_settings(**ROUTED):
        standby.caught_up()
        yield standby


def _project() -> FlagshipProject:
    return FlagshipProject.objects.filter(plan__slug="liberec-2020").order_by("number")[0]


def _renamed_while_paused(standby: Standby, name: str) -> FlagshipProject:
    """Rename the first demo project on the primary while the standby replays nothing."""
    project = _project()
    standby.pause()
    renamed = FlagshipProject.objects.get(pk=project.pk)
    renamed.name = name
    renamed.save()  # as an edit does: the plan's stamp moves with it
    return project


def test_a_portal_page_is_read_from_the_replica(routed):
    project = _project()
    client = Client()
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get("/liberec-2020/projekty/")
    assert page.status_code == 200
    assert project.name in page.content.decode()
    assert len(on_replica) > 0
    assert len(on_primary) == 0, [q["sql"] for q in on_primary]

    _renamed_while_paused(routed, "Projekt, o kterém replika zatím neví")
    try:
        assert "o kterém replika zatím neví" not in client.get("/liberec-2020/projekty/").text
    finally:
        routed.resume()
    assert "o kterém replika zatím neví" in client.get("/liberec-2020/projekty/").text


def test_an_api_get_reads_data_from_the_replica_and_the_token_from_the_primary(routed):
    user = User.objects.create_superuser("strojovy-klient", "k@example.invalid", "x" * 16)
    url = "/api/v1/plans/liberec-2020/flagship-projects/"
    project = _renamed_while_paused(routed, "Přejmenováno na primárním serveru")
    try:
        # The token was made after replay stopped: it is only on the primary, and works.
        token = Token.objects.create(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            listing = client.get(url, {"page_size": 200})
        assert listing.status_code == 200, listing.content
        names = {row["number"]: row["name"] for row in listing.json()["results"]}
        assert names[project.number] == project.name  # the replica's, older name
        assert not any("authtoken" in q["sql"] for q in on_replica)
        # A token revoked on the primary is refused at once, whatever the replica says.
        Token.objects.filter(pk=token.pk).delete()
        assert client.get(url).status_code == 401
    finally:
        routed.resume()
    token = Token.objects.create(user=user)
    listing = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(url, {"page_size": 200})
    names = {row["number"]: row["name"] for row in listing.json()["results"]}
    assert names[project.number] == "Přejmenováno na primárním serveru"


def test_a_counted_download_reads_the_primary_and_a_robots_the_replica(routed):
    project = _renamed_while_paused(routed, "Název jen na primárním serveru")
    url = "/data/liberec-2020/projekty.csv"
    try:
        robot = Client(HTTP_USER_AGENT="Googlebot/2.1").get(url)
        assert robot.status_code == 200
        body = b"".join(robot.streaming_content).decode()
        assert project.name in body  # not counted, nothing written: from the replica
        assert "Název jen na primárním serveru" not in body
        assert not DownloadCount.objects.using("default").filter(dataset="projekty").exists()

        browser = Client(HTTP_USER_AGENT=BROWSER_UA).get(url)
        body = b"".join(browser.streaming_content).decode()
        # Counted first (a write, on the primary), then read where it wrote.
        assert "Název jen na primárním serveru" in body
        counted = DownloadCount.objects.using("default").get(dataset="projekty", format="csv")
        assert counted.count == 1
        assert not DownloadCount.objects.using(REPLICA).filter(dataset="projekty").exists()
    finally:
        routed.resume()
    assert DownloadCount.objects.using(REPLICA).get(dataset="projekty", format="csv").count == 1


def test_editing_reads_and_writes_the_primary_and_the_standby_refuses_writes(routed):
    editor = User.objects.create_superuser("koordinator", "k@example.invalid", "x" * 16)
    client = Client()
    client.force_login(editor)
    project = _renamed_while_paused(routed, "Změna, kterou vidí jen editor")
    detail = f"/api/v1/plans/liberec-2020/flagship-projects/{project.pk}/"
    try:
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            change = client.get(f"/admin/projects/flagshipproject/{project.pk}/change/")
        assert change.status_code == 200
        assert "Změna, kterou vidí jen editor" in change.text  # the primary's value
        assert len(on_replica) == 0
        # An API client that read the lagging replica holds an old ETag: its change is
        # refused by the primary (412, read again), never written over the newer row.
        stale = client.get(detail)["ETag"]
        refused = client.patch(
            detail, {"subtitle": "Ze staré verze"}, "application/json", HTTP_IF_MATCH=stale
        )
        assert refused.status_code == 412
        with (
            pytest.raises(DatabaseError, match="read-only"),
            connections[REPLICA].cursor() as cursor,
        ):
            cursor.execute("UPDATE projects_flagshipproject SET name = 'x'")
    finally:
        routed.resume()
    written = client.patch(
        detail,
        {"subtitle": "Zapsáno přes API"},
        "application/json",
        HTTP_IF_MATCH=client.get(detail)["ETag"],
    )
    assert written.status_code == 200, written.content
    assert FlagshipProject.objects.using("default").get(pk=project.pk).subtitle == (
        "Zapsáno přes API"
    )
    routed.caught_up()
    assert FlagshipProject.objects.using(REPLICA).get(pk=project.pk).subtitle == (
        "Zapsáno přes API"
    )
