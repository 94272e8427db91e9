"""An ordered register read in consecutive blocks of its first ordering key, so that its first
rows leave at once.

A register is ordered by a related row's name first (the measurements by their
sub-indicator's code, then date). No index of the register holds that order, so SQLite reads
all rows and sorts them before it gives the first one: 0.5 s for the 982 452 measurements of
a plan 100 times the demo, 1.7 s when it sorts the finished CSV lines. Here the related
table's distinct keys (1 767 codes) are listed first, and the rows are read a range of keys
at a time, ``sub_indicator_id IN (SELECT id FROM subindicator WHERE code > ? AND code <= ?)``:
SQLite finds each block's rows through the register's index of the foreign key and sorts only
that block. The blocks, one after the other, are the same rows in the same order: each key
falls in exactly one block (the first block has no lower bound, the last no upper one), and
rows of equal keys (the same code in two plans) are in the same block, sorted there by the
rest of the ordering.

The first block holds one key, each next one twice as many, up to a size that keeps the count
of queries bounded (:data:`MAX_BLOCKS`): the first rows come from one key's rows, the rest
from a few dozen queries. All of them read in one transaction, so the blocks see one state of
the database, as one query would.

PostgreSQL sorts the whole register too before its server-side cursor gives the first row (a
plan 10 times the demo: 0.7 s): the same blocks are read there, in a REPEATABLE READ
transaction, so that all blocks see one snapshot (READ COMMITTED would give each block
its own).

On SQLite, :func:`ordered_row_chunks` goes further: a key held by one related row only (a
code of one sub-indicator among the register's rows, as in every plan's own export) is read
as that row's block, ``sub_indicator_id = ?``, in the index of the foreign key and the date,
so SQLite sorts nothing; the statement is compiled once and run again for each such row
(SQLite keeps it prepared). The keys several related rows share are read in ranges as
above. At 100 times the demo the 1 767 statements read the measurements' lines in 1.55 s
against 2.10 s for the ranges' sorts.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, transaction
from django.db.models import Exists, Field, ForeignKey, Model, OuterRef, QuerySet
from django.db.models.constants import LOOKUP_SEP

# A block holds at most this many keys, or more when the related table has more than
# MAX_BLOCKS times as many (then no more than about MAX_BLOCKS queries are made).
BLOCK_KEYS = 64
MAX_BLOCKS = 64
# SQLite's transactions are snapshots; PostgreSQL's are made so (see ordered_blocks).
_VENDORS = ("sqlite", "postgresql")
# The key's place in the statement compiled once (see _KeyStatement): no real key is it.
_SENTINEL = -4_611_686_018_427_387_903

RowChunks = Callable[[QuerySet[Any]], Iterator[list[Any]]]


class _KeyPath:
    """The first ordering term ``fk__rest``: the foreign key, its model and the rest."""

    def __init__(self, fk: ForeignKey[Any, Any], related: type[Model], rest: str) -> None:
        self.fk = fk
        self.related = related
        self.rest = rest


def _key_path(model: type[Model], term: Any) -> _KeyPath | None:
    """The first ordering term when it is an ascending path through non-null foreign keys
    to a non-null column (so each row has a key, in exactly one range); None otherwise."""
    if not isinstance(term, str) or term.startswith(("-", "?", "+")) or LOOKUP_SEP not in term:
        return None
    *relations, column = term.split(LOOKUP_SEP)
    current = model
    keys: list[ForeignKey[Any, Any]] = []
    try:
        for name in relations:
            field = current._meta.get_field(name)
            related = field.related_model
            if not (isinstance(field, ForeignKey) and isinstance(related, type)) or field.null:
                return None
            keys.append(field)
            current = related
        end = current._meta.get_field(column)
    except FieldDoesNotExist:
        return None
    if not isinstance(end, Field) or end.is_relation or end.null:
        return None
    related = keys[0].related_model
    assert isinstance(related, type)
    return _KeyPath(keys[0], related, term.split(LOOKUP_SEP, 1)[1])


def blockable(queryset: QuerySet[Any]) -> bool:
    """Whether :func:`ordered_blocks` cuts ``queryset`` into blocks (SQLite or PostgreSQL,
    an explicit ordering whose first term is a related row's column)."""
    query = queryset.query
    if (
        connections[queryset.db].vendor not in _VENDORS
        or query.is_sliced
        or query.distinct
        or query.combinator
        or not query.order_by
    ):
        return False
    return _key_path(queryset.model, query.order_by[0]) is not None


def ordered_blocks(queryset: QuerySet[Any]) -> Generator[QuerySet[Any], None, None]:
    """``queryset`` as consecutive querysets whose rows, one after the other, are its rows in
    its order (see the module docstring); ``queryset`` itself when it cannot be cut.

    Iterate the blocks and read each block's rows before asking for the next one: they are
    read in one transaction, ended when the last block has been given."""
    if not blockable(queryset):
        yield queryset
        return
    path = _key_path(queryset.model, queryset.query.order_by[0])
    assert path is not None
    with _snapshot(queryset.db):
        keys = list(
            path.related._base_manager.db_manager(queryset.db)
            .order_by(path.rest)
            .values_list(path.rest, flat=True)
            .distinct()
        )
        if len(keys) < 2:
            yield queryset
            return
        yield from _range_blocks(queryset, path, keys, low=None, last=True)


def ordered_row_chunks(
    queryset: QuerySet[Any], read: RowChunks, *, chunk_size: int
) -> Generator[list[Any], None, None]:
    """The raw rows of ``queryset`` (a ``values_list``) in its order, in lists of at most
    ``chunk_size``: ``read`` of each of :func:`ordered_blocks`, or on SQLite a statement
    per related row whose key no other related row among the rows shares (see the module
    docstring). Closing the generator ends the blocks' transaction."""
    if connections[queryset.db].vendor != "sqlite" or not blockable(queryset):
        blocks = ordered_blocks(queryset)
        try:
            for block in blocks:
                yield from read(block)
        finally:  # a download stopped halfway ends the blocks' transaction now
            blocks.close()
        return
    path = _key_path(queryset.model, queryset.query.order_by[0])
    assert path is not None
    with _snapshot(queryset.db):
        statement = _KeyStatement(queryset, path)
        rows_of = queryset.order_by().filter(**{path.fk.attname: OuterRef("pk")})
        owners = (
            path.related._base_manager.db_manager(queryset.db)
            .filter(Exists(rows_of))
            .order_by(path.rest, "pk")
            .values_list(path.rest, "pk")
        )
        groups = [(key, [pk for _, pk in group]) for key, group in groupby(owners, itemgetter(0))]
        low: Any = None
        shared: list[Any] = []  # keys of several related rows, read as ranges
        # A last group of one key, None, ends the walk: the shared keys before it are read.
        for key, pks in [*groups, (None, [])]:
            if len(pks) > 1:
                shared.append(key)
                continue
            for block in _range_blocks(queryset, path, shared, low=low, last=False):
                yield from read(block)
            shared = []
            if pks:
                yield from statement.chunks(pks[0], chunk_size)
                low = key


class _KeyStatement:
    """``queryset`` restricted to one related row, compiled once and run for each row."""

    def __init__(self, queryset: QuerySet[Any], path: _KeyPath) -> None:
        one = queryset.filter(**{path.fk.attname: _SENTINEL})
        self.db = queryset.db
        self.sql, params = one.query.get_compiler(using=self.db).as_sql()
        self.params = list(params)
        places = [at for at, value in enumerate(self.params) if value == _SENTINEL]
        assert len(places) == 1, "the key's parameter is found once"
        self.at = places[0]

    def chunks(self, key: Any, size: int) -> Iterator[list[Any]]:
        params = list(self.params)
        params[self.at] = key
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            while rows := cursor.fetchmany(size):
                yield rows


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One transaction for all blocks; REPEATABLE READ on PostgreSQL when it is the
    outermost one (a transaction already open keeps its own level)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # before any read of the transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _range_blocks(
    queryset: QuerySet[Any], path: _KeyPath, keys: list[Any], *, low: Any, last: bool
) -> Iterator[QuerySet[Any]]:
    """Blocks of the ``keys`` (ascending, distinct) after ``low`` (None: from the first),
    each next one twice as many keys as the one before; the last block has no upper bound
    when ``last`` (every key above ``low`` falls in a block)."""
    most = max(BLOCK_KEYS, -(-len(keys) // MAX_BLOCKS))
    target = path.fk.target_field.attname
    size, start = 1, 0
    while start < len(keys):
        end = start + size
        bounds: dict[str, Any] = {}
        if low is not None:
            bounds[f"{path.rest}__gt"] = low
        high = keys[min(end, len(keys)) - 1]
        if end < len(keys) or not last:
            bounds[f"{path.rest}__lte"] = high
        related = path.related._base_manager.db_manager(queryset.db).filter(**bounds)
        yield queryset.filter(**{f"{path.fk.name}__in": related.values(target)})
        start, low, size = end, high, min(size * 2, most)
