"""A query's first row, its SQL compiled once per process and database.

Pages asked for many times a second (the public portal, the dashboard) check one small row
first: the plan's data version. Building that query with the ORM costs more than the
database then needs to answer it, so its SQL is compiled once and run again with the next
plan's slug in the placeholder's place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model

SLUG_PLACEHOLDER = "\x00plan-slug\x00"
_compiled: dict[tuple[str, str], tuple[str, tuple[Any, ...], int | None]] = {}


def compiled_row(
    name: str, build: Callable[[str], Any], slug: str | None = None, *, model: type[Model]
) -> tuple[Any, ...] | None:
    """The first row of the query ``build(placeholder)`` makes (named ``name``, read from the
    database the router gives ``model``); ``slug`` takes the placeholder's place among the
    parameters."""
    alias = router.db_for_read(model)
    if (name, alias) not in _compiled:
        sql, params = build(SLUG_PLACEHOLDER).query.get_compiler(using=alias).as_sql()
        params = tuple(params)
        at = params.index(SLUG_PLACEHOLDER) if SLUG_PLACEHOLDER in params else None
        _compiled[name, alias] = (sql, params, at)
    sql, params, at = _compiled[name, alias]
    if at is not None:
        params = (*params[:at], slug, *params[at + 1 :])
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else tuple(row)
