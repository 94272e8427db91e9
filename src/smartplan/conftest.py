"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.plans.models import Plan


@pytest.fixture
def demo_plan(db: None) -> Plan:
    """The 2020 Liberec plan, loaded from the committed fixture."""
    plan, created = plan_fixture_load(folder=DEMO_FIXTURE)
    assert created
    return plan


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


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
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
