"""How many open datasets a plan publishes: the input of the formula function ``datasets()``
(the seed's indicator 8 counts the open datasets the region publishes).

The open data app answers it; ``core`` holds only the hook, so the formulas (a domain app)
ask without importing the app that answers, as with :mod:`smartplan.core.access_scope`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# plan -> the number of datasets the plan publishes.
DatasetCounter = Callable[[Any], int]

_counter: DatasetCounter | None = None


def published_datasets_register(counter: DatasetCounter) -> None:
    """Installs the answer (called once by the open data app when it is ready)."""
    global _counter
    _counter = counter


def published_datasets_count(plan: Any) -> int | None:
    """The number of datasets ``plan`` publishes; None when no app answers (no open data)."""
    return None if _counter is None else _counter(plan)
