"""A fixture for the register pages' tests: Czech is the active language at the start, and
the server's page cache (portal.http_cache) is empty.

A request to an English address (``/en/…``) leaves English active in the test thread, so
``reverse`` would then build English addresses for the tests that follow. A test that changes
rows behind the signals' back (``QuerySet.update``) must not get another test's stored page."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def czech_default() -> Iterator[None]:
    cache.clear()
    with translation.override("cs"):
        yield
