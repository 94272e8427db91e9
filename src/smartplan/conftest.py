"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE, DEMO_SLUG
from smartplan.plans.models import Plan


def _demo_plan_load() -> Plan:
    """Load the demo plan and commit it, as ``smartplan load-demo`` does: what runs after the
    commit (the monitoring recompute, as of today) runs too, so the stored states are there."""
    plan, _ = plan_fixture_load(folder=DEMO_FIXTURE)
    return plan


class _Template:
    """The test database right after the session's setup, to bring back after a flush.

    On SQLite the whole database is copied with SQLite's backup API (milliseconds); on
    PostgreSQL the demo plan is loaded again (seconds)."""

    copy: sqlite3.Connection | None = None

    @classmethod
    def save(cls) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            cls.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(cls.copy)

    @classmethod
    def restore(cls) -> None:
        if cls.copy is not None:
            connection.ensure_connection()
            cls.copy.backup(connection.connection)
            # The flush renumbered the content types; the template has the first numbers.
            ContentType.objects.clear_cache()
        else:
            _demo_plan_load()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Tests create users with passwords; Django's default hasher spends about half a second
    of CPU on each on purpose. Tests need no protection against cracking."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database as a template: the demo plan is loaded once per session and
    committed, in the spirit of Zulip's template database (zerver/lib/test_fixtures.py).

    Every ``db`` test runs inside a transaction that is rolled back, so each starts from the
    template: the demo plan and nothing else. Transactional and live-server tests empty
    (flush) the database when they end; ``_template_for_transactional_tests`` brings the
    template back before the next one. Tests that need an instance without any plan ask for
    ``empty_instance``.
    """
    with django_db_blocker.unblock():
        _demo_plan_load()
        _Template.save()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or {"transactional_db", "live_server", "django_db_reset_sequences"}
        & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Every test starts in the instance's language (Czech). A request activates its own
    language in the thread and leaves it there, as a server does, so an English page
    requested by one test would otherwise turn the next test's messages English."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Every test starts with nothing kept in Django's cache. Pages are kept under their data's
    version (a plan's, the accounts'), which only rises in a deployment; but each test's
    transaction is rolled back, so the next test counts the same versions and ids again and
    could be served the page another test's data made."""
    cache.clear()


@pytest.fixture(autouse=True)
def _template_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """A transactional test starts from the template too, even after another one flushed."""
    if not _is_transactional(request):
        return
    request.getfixturevalue("_django_db_helper")
    if not Plan.objects.filter(slug=DEMO_SLUG).exists():
        _Template.restore()


@pytest.fixture
def demo_plan(db: None) -> Plan:
    """The 2020 Liberec plan, loaded from the committed fixture (once per session, into the
    template), with its monitoring states as ``smartplan load-demo`` leaves them."""
    return Plan.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def empty_instance(db: None) -> None:
    """An instance with no plan at all: the template's demo plan is deleted inside the
    test's transaction (so it is back for the next test)."""
    Plan.objects.all().delete()


@pytest.fixture
def coordinator_client(db: None, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_superuser(
        username="koordinator", email="k@example.invalid", password="heslo-koordinatora"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser), started once per
    session."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing; scripts/test installs it")
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    # Django's async-unsafe guard trips on Playwright's event loop in the test thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class _TestBrowser:
    """The session's Chromium as one test sees it: each page in its own context (no shared
    cookies), all closed when the test ends, so no connection to the live server stays open."""

    def __init__(self, chromium: Any) -> None:
        self.chromium = chromium
        self.contexts: list[Any] = []

    def new_page(self, **options: Any) -> Any:
        context = self.chromium.new_context(**options)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browser(_chromium: Any) -> Iterator[_TestBrowser]:
    test_browser = _TestBrowser(_chromium)
    yield test_browser
    test_browser.close()


@pytest.fixture
def admin_page(
    browser: _TestBrowser, live_server: Any, transactional_db: None, django_user_model: Any
) -> Any:
    """A page of the test browser, in Czech, logged in to the administration as a superuser
    (``koordinator``) and on its index; ``page.base`` is the live server's address. The
    browser tests of the administration start here."""
    django_user_model.objects.create_superuser("koordinator", "k@example.invalid", "heslo-k1")
    page = browser.new_page(locale="cs-CZ")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", "heslo-k1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.base = live_server.url
    return page


@pytest.fixture
def other_plan(db: None) -> Plan:
    """A second, empty plan beside the demo: for tests of plan scoping."""
    return Plan.objects.create(
        name="Akční plán Chytrá obec",
        slug="chytra-obec-2021",
        territory_kind=Plan.TerritoryKind.MUNICIPALITY,
        territory_name="Obec Pokusná",
        ruian_code="563889",
        period_from=2021,
        period_to=2023,
    )


SMARTPLAN = str(Path(sys.executable).with_name("smartplan"))


def smartplan_run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the ``smartplan`` console script as a user would, on SQLite in ``data_dir``."""
    env = {**os.environ, "SMARTPLAN_DATA_DIR": str(data_dir), "SMARTPLAN_DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [SMARTPLAN, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


class ConsoleRuns:
    """The console script's end-to-end runs, one per command family, on their own SQLite
    database. They run one after another in a background thread from the start of the session,
    so they use the second CPU while the in-process tests run; a test waits for its run."""

    def __init__(self, folder: Path) -> None:
        self.data_dir = folder / "var"
        self.output = folder / "out"
        self.data_dir.mkdir()
        self.output.mkdir()
        runs = {
            "load-demo": ["load-demo"],
            "export": ["export", "--plan", DEMO_SLUG, "-o", str(self.output / "plán.xlsx")],
            "report": [
                "report",
                "annual",
                "--plan",
                DEMO_SLUG,
                "--year",
                "2020",
                "--format",
                "html",
                "-o",
                str(self.output / "zprava.html"),
            ],
            "recompute": ["recompute", "--plan", DEMO_SLUG, "--as-of", "2021-06-30"],
        }
        self._executor = ThreadPoolExecutor(max_workers=1)  # in order: load-demo comes first
        self._runs = {
            name: self._executor.submit(smartplan_run, *args, data_dir=self.data_dir)
            for name, args in runs.items()
        }
        self._server: subprocess.Popen[bytes] | None = None
        self._server_url = self._executor.submit(self._serve)  # last: on the finished data

    def result(self, name: str) -> subprocess.CompletedProcess[str]:
        return self._runs[name].result()

    def server_url(self) -> str:
        """The address of ``smartplan serve`` on this data, once it answers."""
        return self._server_url.result()

    def _serve(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        env = {**os.environ, "SMARTPLAN_DATA_DIR": str(self.data_dir)}
        env.update(SMARTPLAN_DATABASE_URL="")
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self._server = subprocess.Popen(
            [SMARTPLAN, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/admin/login/", timeout=5):
                    return url
            except OSError:
                time.sleep(0.3)
        return url  # the test's own request says what is wrong

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        if self._server is not None:
            self._server.terminate()
            self._server.wait(timeout=20)


@pytest.fixture(scope="session")
def console_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleRuns]:
    runs = ConsoleRuns(tmp_path_factory.mktemp("console"))
    yield runs
    runs.close()


@pytest.fixture(scope="session", autouse=True)
def _console_runs_start_early(request: pytest.FixtureRequest) -> None:
    """Start the console script's runs with the session when a selected test needs them.

    Under pytest-xdist every worker sees every test but runs only some: there the runs start
    when a test first asks for them, so only one worker pays for them."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if any("console_runs" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("console_runs")
