"""Rows of a ``.values()`` query without compiling the same statement again on every request.

Compiling a query (``QuerySet`` to SQL) costs Django several times what SQLite then needs to
answer it: for an API page of 100 rows about 0.5 ms against 0.1 ms (issue 10, part 6,
``benchmarks/api_throughput.py``). A busy list asks the same *statement* again and again
with other values (another plan, another cursor). :func:`values_rows` keeps the SQL of each
statement and runs it with the new values.

The statement is known by its *shape*, read off the query without compiling it: the model,
the joins, the selected columns, the ordering, the slice and the conditions, each condition
by its column, lookup and the *types* of its values (a list by its length). The values in
the order they were met are the parameters: only integers, strings and dates compared with
columns of their own kind, which Django passes to the database unchanged (anything else,
such as a decimal or a string compared with a date column, which Django parses and
rewrites, keeps the normal path). Values that shape the SQL text themselves (``None``,
``True``/``False``) are part of the shape, not parameters.

Nothing is assumed about how Django places the parameters: the first time a shape is seen
the query is compiled as usual and its parameters are compared with the values gathered
from the conditions, one by one, type and value. Only when they are the same list is the
SQL kept for the shape; otherwise the shape is marked as one to compile every time. So a
lookup that rewrites its value (``contains`` → ``%x%``), a date that the backend turns into
text, or anything the walk does not know (subqueries, expressions, annotations) simply keeps
Django's normal path. Rows get the same converters Django's own ``.values()`` applies.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.query import ValuesIterable
from django.db.models.sql.datastructures import BaseTable, Join
from django.db.models.sql.where import ExtraWhere, WhereNode

# Values that become one parameter each, and the kinds of column that take them unchanged
# (a string compared with a date column would be parsed and rewritten, so it is not one).
_KINDS_OF: dict[type, frozenset[str]] = {
    int: frozenset(
        {
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        }
    ),
    str: frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"}),
    dt.date: frozenset({"DateField"}),
}
_MAX_STATEMENTS = 512
_NOT_CACHEABLE = "compile every time"


class _UnknownShapeError(Exception):
    """Part of the query that the shape cannot describe: compile as usual."""


# A compiled query's converters: (column index, functions, field), as ``get_converters``.
Converters = tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


@dataclass(frozen=True)
class _Statement:
    sql: str
    wrappers: tuple[type | None, ...]
    names: tuple[str, ...]
    converters: Converters


_statements: dict[Hashable, _Statement | str] = {}
# key of values_rows_keyed -> (the statement's shape, the parameters the key stands for)
_keyed: dict[Hashable, tuple[Hashable, list[Any], type[Model]] | str] = {}
_lock = threading.Lock()


def _value_shape(value: Any, kind: str, params: list[Any]) -> Hashable:
    if value is None or isinstance(value, bool):
        return ("literal", value)
    if type(value) in _KINDS_OF and kind in _KINDS_OF[type(value)]:
        params.append(value)
        return type(value).__name__
    if isinstance(value, list | tuple):
        return ("list", tuple(_value_shape(item, kind, params) for item in value))
    raise _UnknownShapeError(type(value).__name__)


def _kind(field: Any) -> str:
    target = field.target_field if getattr(field, "is_relation", False) else field
    return str(target.get_internal_type())


def _where_shape(node: Any, params: list[Any]) -> Hashable:
    if isinstance(node, WhereNode):
        children = tuple(_where_shape(child, params) for child in node.children)
        return ("node", type(node).__name__, node.connector, node.negated, children)
    if isinstance(node, ExtraWhere):
        extra = list(node.params or ())
        params.extend(extra)
        return ("extra", tuple(node.sqls), tuple(type(p).__name__ for p in extra))
    if isinstance(node, Lookup) and isinstance(node.lhs, Col):
        column = (node.lhs.alias, node.lhs.target.column)
        kind = _kind(node.lhs.target)
        return ("lookup", node.lookup_name, column, _value_shape(node.rhs, kind, params))
    raise _UnknownShapeError(type(node).__name__)


def _shape(queryset: QuerySet[Any]) -> tuple[Hashable, list[Any]]:
    query = queryset.query
    if (
        queryset._iterable_class is not ValuesIterable
        or query.annotations
        or query.combinator
        or query.select_related
        or query.distinct
        or query.group_by is not None
        or query.extra_tables
        or any(params for _sql, params in query.extra.values())
    ):
        raise _UnknownShapeError("query")
    joins: list[Hashable] = []
    for alias, join in query.alias_map.items():
        if isinstance(join, Join):
            joins.append(
                (alias, join.table_name, join.parent_alias, join.join_type, join.join_cols)
            )
        elif isinstance(join, BaseTable):
            joins.append((alias, join.table_name))
        else:
            raise _UnknownShapeError("join")
    order_by = tuple(query.order_by)
    if not all(isinstance(item, str) for item in order_by):
        raise _UnknownShapeError("ordering")
    params: list[Any] = []
    where = _where_shape(query.where, params)
    shape = (
        queryset.db,
        query.model._meta.label if query.model else None,
        tuple(joins),
        tuple((name, sql) for name, (sql, _params) in query.extra_select.items()),
        tuple(query.values_select),
        tuple((name, repr(item)) for name, item in (query.selected or {}).items()),
        order_by,
        query.default_ordering,
        query.low_mark,
        query.high_mark,
        where,
    )
    return shape, params


def _wrappers(gathered: list[Any], compiled: list[Any]) -> tuple[type | None, ...] | None:
    """How each gathered value becomes the compiled parameter: as it is (None) or wrapped in
    the type the backend gave it (psycopg's ``Int2`` for a small integer column, a subclass
    of ``int``); None when the lists differ in any other way."""
    if len(gathered) != len(compiled):
        return None
    wrappers: list[type | None] = []
    for value, param in zip(gathered, compiled, strict=True):
        if type(param) is type(value) and param == value:
            wrappers.append(None)
        elif type(value) is int and isinstance(param, int) and type(param)(value) == param:
            wrappers.append(type(param))
        else:
            return None
    return tuple(wrappers)


def _compile(queryset: QuerySet[Any], params: list[Any]) -> _Statement | str:
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    try:
        sql, compiled = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return _NOT_CACHEABLE
    wrappers = _wrappers(params, list(compiled))
    if wrappers is None:
        return _NOT_CACHEABLE
    # The names in the order of the row, as Django's own ValuesIterable takes them.
    if query.selected:
        names: tuple[str, ...] = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    return _Statement(
        sql,
        wrappers,
        names,
        tuple((index, tuple(funcs), field) for index, (funcs, field) in converters.items()),
    )


def _keep(store: dict[Hashable, Any], key: Hashable, value: Any) -> None:
    with _lock:
        if len(store) >= _MAX_STATEMENTS:
            store.clear()
        store[key] = value


def _statement_of(queryset: QuerySet[Any], shape: Hashable, params: list[Any]) -> _Statement | str:
    statement = _statements.get(shape)
    if statement is None:
        statement = _compile(queryset, params)
        _keep(_statements, shape, statement)
    return statement


def values_rows(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    """``list(queryset)`` for a ``.values()`` query, from a kept statement when its shape was
    seen before."""
    try:
        shape, params = _shape(queryset)
    except _UnknownShapeError:
        return list(queryset)
    statement = _statement_of(queryset, shape, params)
    if isinstance(statement, str):
        return list(queryset)
    return _run(statement, queryset.db, params)


def values_rows_keyed(
    key: Hashable,
    build: Callable[[list[Any], list[Any]], QuerySet[Any]],
    head: list[Any],
    tail: list[Any],
) -> list[dict[str, Any]]:
    """:func:`values_rows` of ``build(head, tail)``, without even building the query when
    ``key`` was seen before.

    The caller promises that ``key`` determines the query ``build`` makes except for the
    values ``head`` (its first parameters) and ``tail`` (its last ones): the values in
    between come from the key (a user's roles, say). The first time, the promise is checked:
    the query is built twice, with the given values and with others of the same types, and
    both must have the same shape, start with their ``head``, end with their ``tail`` and
    hold the same values in between (a value that follows ``head`` or ``tail`` anywhere else
    in the query fails this). Only then are the values between kept with the key; otherwise
    the key's query is built every time.
    """
    kept = _keyed.get(key)
    if kept is None:
        queryset = build(head, tail)
        _keep(_keyed, key, _keyed_proof(queryset, build, head, tail))
        return values_rows(queryset)
    if isinstance(kept, str):
        return values_rows(build(head, tail))
    shape, middle, model = kept
    statement = _statements.get(shape)
    if statement is None or isinstance(statement, str):
        return values_rows(build(head, tail))
    # The database is chosen now, as the query would choose it (a read replica for a public
    # read, the primary after a write or inside a transaction), never kept from the first.
    return _run(statement, router.db_for_read(model), [*head, *middle, *tail])


def _other(value: Any) -> Any:
    """Another value of the same type (the second build of the proof)."""
    if type(value) is int:
        return value + 1_000_003 if value < 2**62 else value - 1_000_003
    if type(value) is str:
        return value + "-jiny"
    if type(value) is dt.date:
        return value - dt.timedelta(days=3) if value.year > 1 else value + dt.timedelta(days=3)
    raise _UnknownShapeError(type(value).__name__)


def _keyed_proof(
    queryset: QuerySet[Any],
    build: Callable[[list[Any], list[Any]], QuerySet[Any]],
    head: list[Any],
    tail: list[Any],
) -> tuple[Hashable, list[Any], type[Model]] | str:
    try:
        shape, params = _shape(queryset)
        other_head, other_tail = [_other(v) for v in head], [_other(v) for v in tail]
        other_shape, other_params = _shape(build(other_head, other_tail))
    except _UnknownShapeError:
        return _NOT_CACHEABLE
    middle = params[len(head) : len(params) - len(tail)]
    if (
        other_shape != shape
        or len(params) < len(head) + len(tail)
        or _wrappers([*head, *middle, *tail], params) != (None,) * len(params)
        or _wrappers([*other_head, *middle, *other_tail], other_params) != (None,) * len(params)
    ):
        return _NOT_CACHEABLE
    return shape, middle, queryset.model


def _run(statement: _Statement, alias: str, params: list[Any]) -> list[dict[str, Any]]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            statement.sql,
            [v if w is None else w(v) for v, w in zip(params, statement.wrappers, strict=True)],
        )
        rows = cursor.fetchall()
    names = statement.names
    return [
        dict(zip(names, row_converted(row, statement.converters, connection), strict=True))
        for row in rows
    ]


def row_converted(row: Sequence[Any], converters: Converters, connection: Any) -> list[Any]:
    """A raw row's values through the converters Django's compiler chose for its columns
    (``compiler.get_converters``: index, functions, field), as ``results_iter`` applies them."""
    values = list(row)
    for index, funcs, field in converters:
        value = values[index]
        for func in funcs:
            value = func(value, field, connection)
        values[index] = value
    return values


def statements_forget() -> None:
    """Forget every kept statement (tests; a schema change in a running process)."""
    with _lock:
        _statements.clear()
        _keyed.clear()
