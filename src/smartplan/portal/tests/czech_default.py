"""A fixture for the register pages' tests: Czech is the active language at the start.

A request to an English address (``/en/…``) leaves English active in the test thread, so
``reverse`` would then build English addresses for the tests that follow."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def czech_default() -> Iterator[None]:
    with translation.override("cs"):
        yield
