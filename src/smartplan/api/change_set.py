"""The change set an API write belongs to (channel "api"), for the history of every change."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from smartplan.core.change_sets import change_set_open


@contextlib.contextmanager
def api_change_set(*, user: Any, plan: Any, label: str = "") -> Iterator[None]:
    """Every historical record written inside belongs to one change set of the API channel."""
    with change_set_open(channel="api", user=user, plan=plan, label=label):
        yield
