"""The change set an API write belongs to (channel "api"), for the history of every change.

The history part provides ``smartplan.core.change_sets.change_set_open``; until it is
merged, writes run without one (a null context), so this module is the only place that
knows whether history is there.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def api_change_set(*, user: Any, plan: Any, label: str = "") -> Iterator[None]:
    """Every historical record written inside belongs to one change set of the API channel."""
    try:
        change_set_open = importlib.import_module("smartplan.core.change_sets").change_set_open
    except ImportError:
        yield
        return
    with change_set_open(channel="api", user=user, plan=plan, label=label):
        yield
