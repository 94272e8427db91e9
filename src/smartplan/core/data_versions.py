"""The versions of everything a kept page may show, read once per request in one statement.

* ``plans``: a token made of every plan's data version. Each plan's ``inputs_version``
  rises in the transaction of every change of its registers and of the plan itself,
  ``states_version`` with every recompute of its stored states (``monitoring.freshness``);
  monitoring registers the subqueries that read them (:func:`plans_stamp_register`), as
  core imports no other app. None when it is not known (no app registered, a plan without
  its row): then nothing may be kept.
* ``accounts``: :mod:`core.accounts_version`, which rises with every change of who may do
  what (users, groups, permissions, two-factor devices, roles).

On PostgreSQL every statement is a round trip to the server, the largest part of a kept
page's cost, so both are read at most once per request (the two-factor gate and the list's
key ask both), in the statement that reads the request's session when it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connections, router
from django.http import HttpRequest

from smartplan.core.models import AccountsVersion

# Scalar SQL subqueries (no parameters) whose values, together, change with every change of
# the plans' data; a NULL among them means "not known".
StampPart = Callable[[], Sequence[str]]
_parts: list[StampPart] = []
_statements: dict[str, str] = {}
_ON_REQUEST = "_smartplan_data_versions"


@dataclass(frozen=True)
class DataVersions:
    plans: str | None
    accounts: int | None


def plans_stamp_register(part: StampPart) -> None:
    """Add the subqueries of the plans' data version (called once, when the app is ready)."""
    _parts.append(part)
    _statements.clear()


def data_versions_columns(alias: str) -> str:
    """The versions as scalar subqueries, comma-separated: a statement that reads something
    else on every request (the session, ``core.session_store``) may read them too."""
    if alias not in _statements:
        table = connections[alias].ops.quote_name(AccountsVersion._meta.db_table)
        subqueries = [f"(SELECT version FROM {table} WHERE id = 1)"]
        subqueries += [sql for part in _parts for sql in part()]
        _statements[alias] = ", ".join(subqueries)
    return _statements[alias]


def data_versions_of(row: Sequence[object]) -> DataVersions:
    """The versions from the values of :func:`data_versions_columns`."""
    accounts, *plans = row if row else (None,)
    known = bool(plans) and all(value is not None for value in plans)
    return DataVersions(
        plans=".".join(str(value) for value in plans) if known else None,
        accounts=int(str(accounts)) if accounts is not None else None,
    )


def data_versions_read() -> DataVersions:
    """The versions as the database has them now (one statement)."""
    alias = router.db_for_read(AccountsVersion)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + data_versions_columns(alias))
        row = cursor.fetchone()
    return data_versions_of(row or ())


def data_versions(request: HttpRequest) -> DataVersions:
    """The versions for this request: those read with its session if it has one (the
    session store reads them in its statement: no round trip of their own), otherwise read
    at its first question; then kept on it."""
    kept = getattr(request, _ON_REQUEST, None)
    if not isinstance(kept, DataVersions):
        kept = getattr(getattr(request, "session", None), "data_versions", None)
        if not isinstance(kept, DataVersions):
            kept = data_versions_read()
        setattr(request, _ON_REQUEST, kept)
    return kept
