"""Rows of values prepared for the database, each distinct plain value once per column.

Bulk writers (``core.change_sets``) put every value of every row through its field's
``get_db_prep_save``, as Django's ``bulk_create`` does. An import or a generated plan repeats
the same few values down a column (the plan, the sub-indicator, the note, the change set,
the history's time and type): :class:`PreparedRows` prepares each distinct value of an
immutable plain type once per column and reuses the result. Other values (datetimes,
decimals, anything mutable) are prepared one by one, as before, except that the very object
the column held in the row before (one time stamp for every history row) is not prepared
again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

# Types whose values are immutable and whose preparation depends on the value alone.
# Exact types: a datetime (a date's subclass) is not one of them.
PLAIN_TYPES = frozenset({int, str, bool, type(None), dt.date})
_NOTHING = object()


class PreparedRows:
    """``fields``' ``get_db_prep_save`` on ``connection``, applied to rows of values."""

    def __init__(self, fields: Sequence[Any], connection: Any) -> None:
        self.preps = [field.get_db_prep_save for field in fields]
        self.connection = connection
        self.memos: list[dict[tuple[type, Any], Any]] = [{} for _ in fields]
        # Per column: the last other value (the object itself, so ``is`` cannot be fooled
        # by a reused id) and what it was prepared as.
        self.last: list[tuple[Any, Any]] = [(_NOTHING, None) for _ in fields]

    def row(self, values: Iterable[Any]) -> list[Any]:
        """The values of one row (in the fields' order) as the database is sent them."""
        prepared = []
        for column, (prep, memo, value) in enumerate(
            zip(self.preps, self.memos, values, strict=True)
        ):
            kind = type(value)
            if kind not in PLAIN_TYPES:
                before, result = self.last[column]
                if value is not before:
                    result = prep(value, self.connection)
                    self.last[column] = (value, result)
                prepared.append(result)
                continue
            key = (kind, value)
            try:
                prepared.append(memo[key])
            except KeyError:
                memo[key] = result = prep(value, self.connection)
                prepared.append(result)
        return prepared
