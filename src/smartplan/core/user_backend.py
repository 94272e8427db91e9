"""Django's ``ModelBackend``, reading a logged-in request's user with one kept statement.

Every logged-in request loads its user: ``AuthenticationMiddleware`` → ``auth.get_user`` →
``ModelBackend.get_user`` → ``User._default_manager.get(pk=…)``. Measured on PostgreSQL 15
(loopback, issue 13), that ``get`` costs 0.63 ms in a Django process, of which the round trip
to the server is about 0.18 ms: the rest is Django compiling the same query again on every
request and building the model. A logged-in page that only returns a fixed string (the
"logged-in floor") spends about 1.7 ms a request, which is what keeps the editing
interface's lists just under 20 % of a bare Django view's requests/s on PostgreSQL.

:class:`UserBackend` asks the database the same question without compiling it each time. The
first time for a database connection it lets Django compile the query ``get`` would make
(the default manager's ``filter(pk=…)`` on the database the router chooses) and keeps what
the compiler produced: the SQL, the columns' attribute names and the converters Django's
``results_iter`` applies (SQLite hands booleans back as integers and datetimes as text; the
converters make them ``bool`` and aware ``datetime`` as the ORM does). Each request then
runs the kept SQL with the user's key, prepared as the lookup prepares it, applies the kept
converters and builds the user with ``Model.from_db``, as Django's ``ModelIterable`` does,
so the user is the same object an ORM read gives (``_state.db`` and ``adding`` included).

Nothing is assumed about the SQL's parameters: the statement is kept only when the
compiled query's one parameter is the key as the lookup prepared it (type and value) and
the compiler selected the model's concrete fields and nothing else; otherwise every call
takes ``ModelBackend``'s own path. Everything else (``authenticate``, permissions, refusing
inactive users with ``user_can_authenticate``, the async ``aget_user``) is Django's own.
The statements are kept per connection object, because a connection's converters are bound
to it.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from smartplan.core.statement_cache import Converters, row_converted

_NOT_KEPT = "ask the ORM every time"


@dataclass(frozen=True)
class _Statement:
    """A compiled ``filter(pk=…)`` of the user model on one connection."""

    sql: str
    attnames: list[str]
    converters: Converters


_kept: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[type[Model], _Statement | str]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _key_param(model: type[Model], user_id: Any, connection: BaseDatabaseWrapper) -> Any:
    """The key as Django's ``exact`` lookup passes it to the database."""
    pk = model._meta.pk
    assert pk is not None
    return pk.get_db_prep_value(pk.get_prep_value(user_id), connection, prepared=True)


def _compile(model: type[Model], alias: str, user_id: Any) -> _Statement | str:
    """Let Django compile the query ``ModelBackend.get_user`` makes, and keep its parts."""
    connection = connections[alias]
    query = model._default_manager.db_manager(alias).filter(pk=user_id).order_by().query
    compiler = query.get_compiler(alias)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return _NOT_KEPT
    expected = _key_param(model, user_id, connection)
    if (
        len(params) != 1
        or type(params[0]) is not type(expected)
        or params[0] != expected
        or compiler.annotation_col_map
        or compiler.klass_info is None
        or compiler.klass_info.get("related_klass_infos")
    ):
        return _NOT_KEPT
    columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    attnames = [column.target.attname for column in columns]
    concrete = [field.attname for field in model._meta.concrete_fields]
    if attnames != concrete:
        return _NOT_KEPT
    converters = compiler.get_converters(columns)
    return _Statement(
        sql,
        attnames,
        tuple((index, tuple(funcs), field) for index, (funcs, field) in converters.items()),
    )


def _statement(model: type[Model], alias: str, user_id: Any) -> _Statement | str:
    connection = connections[alias]
    statements = _kept.get(connection)
    statement = statements.get(model) if statements is not None else None
    if statement is None:
        statement = _compile(model, alias, user_id)
        with _lock:
            _kept.setdefault(connection, {})[model] = statement
    return statement


def user_statements_forget() -> None:
    """Forget the kept statements (tests; a schema change in a running process)."""
    with _lock:
        _kept.clear()


class UserBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` runs a kept statement (this module's docstring)."""

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        if user_id is None:
            return super().get_user(user_id)
        alias = router.db_for_read(model)
        statement = _statement(model, alias, user_id)
        if isinstance(statement, str):
            return super().get_user(user_id)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, (_key_param(model, user_id, connection),))
            row = cursor.fetchone()
        if row is None:
            return None
        values = row_converted(row, statement.converters, connection)
        user = model.from_db(alias, statement.attnames, values)
        return user if self.user_can_authenticate(user) else None
