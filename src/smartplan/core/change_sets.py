"""Change sets: which changes were made together, by whom and through which channel.

Every register keeps its history with django-simple-history (``core.history_records``).
A *change set* groups the historical records written together: one form saved in the
editing interface, one API request, one imported file, one management command, one revert.

    with change_set_open(channel=ChangeSet.Channel.IMPORT, label="plan.xlsx", plan=plan):
        ...  # every historical record written here belongs to one change set

The ``ChangeSet`` row is created lazily, with the first historical record written inside
the block, so a request or command that changes nothing leaves no empty change set. A
receiver of simple-history's ``pre_create_historical_record`` attaches each record to the
open change set and fills ``history_user`` from it when the save named no user. Bulk
writes send no such signal: they go through :func:`history_bulk_create` and
:func:`history_bulk_update`, which write the history rows in bulk with the change set.

Where the blocks are opened:

- the editing interface and the API: ``ChangeSetMiddleware`` for every writing request
  (``interface``, or ``api`` under ``/api/``), with the request's user, read when the first
  record is written (so a token authenticated by DRF inside the view counts);
- management commands: the ``smartplan`` console script (``command``, labelled with the
  command's name);
- imports: the import services themselves, one change set per file (``import``);
- reverts: ``core.history_revert`` (``revert``).

A nested ``change_set_open`` without a channel, or with the outer one's channel and no
other label, joins the outer change set; a different channel (an import started from the
editing interface) opens its own, inheriting the outer user.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object

from smartplan.core.db_values import PreparedRows
from smartplan.core.models import ChangeSet

Channel = ChangeSet.Channel
M = TypeVar("M", bound=models.Model)


@dataclass
class ChangeSetScope:
    """An open ``change_set_open`` block; the change set row appears with its first record."""

    channel: str
    label: str = ""
    plan_id: int | None = None
    user: Any = None
    request: HttpRequest | None = None
    change_set: ChangeSet | None = None
    _registers: set[str] = field(default_factory=set)
    _transaction_state: tuple[bool, tuple[str, ...]] = (False, ())

    def user_resolved(self) -> Any:
        if self.user is not None:
            return self.user
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def change_set_for(self, model: type[models.Model], plan_id: int | None) -> ChangeSet:
        """The change set for a record of ``model`` (the historical model's register)."""
        register = model._meta.label_lower
        if self.change_set is not None and not self._alive():
            self.change_set, self._registers = None, set()
        if self.change_set is None:
            user = self.user_resolved()
            self.change_set = ChangeSet.objects.create(
                channel=self.channel,
                label=self.label[:255],
                plan_id=self.plan_id or plan_id,
                user=user if user is not None and user.pk else None,
                registers=[register],
            )
            self._registers = {register}
            self._transaction_state = _transaction_state()
        elif register not in self._registers:
            self._registers.add(register)
            ChangeSet.objects.filter(pk=self.change_set.pk).update(
                registers=sorted(self._registers)
            )
        return self.change_set

    def ensure_stored(self) -> None:
        """At the end of the block: when a rolled-back transaction took the change set row
        while later records (in another transaction of the block) point at it, store it
        again under the same number. One query; nothing when the block wrote nothing."""
        change_set = self.change_set
        if change_set is None or connections[DEFAULT_DB_ALIAS].needs_rollback:
            return
        if ChangeSet.objects.filter(pk=change_set.pk).exists():
            return
        registers = sorted(
            label
            for label in self._registers
            if _history_of(label).filter(change_set_id=change_set.pk).exists()
        )
        if registers:
            change_set.registers = registers
            change_set.save(force_insert=True)

    def _alive(self) -> bool:
        """Whether the change set row still exists: a rolled-back savepoint may have taken
        it. Checked (one query) only when the transaction state changed since it was made."""
        state = _transaction_state()
        if state == self._transaction_state or (not state[0] and not self._transaction_state[0]):
            return True
        assert self.change_set is not None
        registers = (
            ChangeSet.objects.filter(pk=self.change_set.pk)
            .values_list("registers", flat=True)
            .first()
        )
        if registers is None:
            return False
        self._transaction_state = state
        self._registers = set(registers)
        return True


def _history_of(label: str) -> Any:
    return apps.get_model(label).history.model.objects


def _transaction_state() -> tuple[bool, tuple[str, ...]]:
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.in_atomic_block, tuple(connection.savepoint_ids)


_scope: contextvars.ContextVar[ChangeSetScope | None] = contextvars.ContextVar(
    "smartplan_change_set", default=None
)


def change_set_scope() -> ChangeSetScope | None:
    """The innermost open change set block, if any."""
    return _scope.get()


@contextmanager
def change_set_open(
    *,
    channel: str | None = None,
    user: Any = None,
    label: str = "",
    plan: Any = None,
    request: HttpRequest | None = None,
) -> Iterator[ChangeSetScope]:
    """Group the historical records written inside the block into one change set."""
    outer = _scope.get()
    plan_id = getattr(plan, "pk", plan)
    if outer is not None and (
        channel is None or (channel == outer.channel and (not label or label == outer.label))
    ):
        # Join the outer block; what it did not know yet it learns, while it is still empty.
        if outer.change_set is None:
            outer.label = outer.label or label
            outer.plan_id = outer.plan_id or plan_id
            outer.user = outer.user or user
        yield outer
        return
    if channel is None:
        raise ValueError("change_set_open: a channel is needed outside another change set")
    scope = ChangeSetScope(
        channel=channel,
        label=str(label),
        plan_id=plan_id,
        user=user if user is not None else (outer.user_resolved() if outer else None),
        request=request if request is not None else (outer.request if outer else None),
    )
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)
    scope.ensure_stored()


def _plan_id_of(instance: models.Model) -> int | None:
    if instance._meta.label_lower == "plans.plan":
        return int(instance.pk) if instance.pk else None
    plan_id = getattr(instance, "plan_id", None)
    return int(plan_id) if plan_id else None


@receiver(pre_create_historical_record)
def _record_attach(
    sender: Any, instance: models.Model, history_instance: Any, **kwargs: Any
) -> None:
    """Attach a historical record to the open change set; its user if the save named none."""
    scope = _scope.get()
    if scope is None:
        return
    change_set = scope.change_set_for(type(instance), _plan_id_of(instance))
    history_instance.change_set = change_set
    if history_instance.history_user_id is None and change_set.user_id is not None:
        history_instance.history_user_id = change_set.user_id


def _bulk_history_attrs(model: type[models.Model], objs: Sequence[Any]) -> dict[str, Any]:
    scope = _scope.get()
    if scope is None or not objs:
        return {}
    change_set = scope.change_set_for(model, _plan_id_of(objs[0]))
    return {
        "default_user": change_set.user,
        "custom_historical_attrs": {"change_set_id": change_set.pk},
    }


def history_bulk_create(
    model: type[M], objs: Sequence[M], *, batch_size: int | None = None
) -> list[M]:
    """``bulk_create`` that writes the rows' history in bulk, in the open change set.

    The rows go through Django's ``bulk_create`` (their keys come back from the database);
    their history rows are those simple-history's ``bulk_history_create`` would write, put
    in with one ``executemany`` (see :func:`_history_rows_insert`).
    """
    objs = list(objs)
    if not objs:
        return []
    attrs = _bulk_history_attrs(model, objs)
    with transaction.atomic(savepoint=False):
        created = _rows_insert(model, objs, batch_size=batch_size)
        if created and created[0].pk is None:  # a database that returns no keys
            return list(bulk_create_with_history(created, model, batch_size=batch_size, **attrs))
        _history_rows_insert(model, created, update=False, change_reason=None, **attrs)
    return created


def _rows_insert(model: type[M], objs: list[M], *, batch_size: int | None) -> list[M]:
    """``bulk_create`` of new rows of a plain model, their keys taken from ``RETURNING``.

    What Django's ``bulk_create`` does for them (related objects checked, ``pre_save``
    (times), each value through its field's ``get_db_prep_save``, the keys set), with the
    ``INSERT`` written as one string per batch instead of compiled value by value, which
    cost an import of 10 000 rows more than all the checks of its rows. Anything
    unusual (keys given, values that are expressions, database defaults, inheritance,
    a database that returns no keys) goes through ``bulk_create`` itself.
    """
    manager = model._default_manager
    opts = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    queryset: Any = manager.all()
    queryset._prepare_for_bulk_create(objs)  # Django's own: key defaults, related objects
    fields: list[Any] = [f for f in opts.concrete_fields if not f.generated and f is not opts.pk]
    plain = (
        connection.features.can_return_rows_from_bulk_insert
        and isinstance(opts.pk, models.AutoField)
        and list(opts.db_returning_fields) == [opts.pk]
        and not opts.parents
        and not any(f.has_db_default() for f in fields)
        and all(obj.pk is None for obj in objs)
    )
    if not plain:
        return list(manager.bulk_create(objs, batch_size=batch_size))
    rows = []
    prepared = PreparedRows(fields, connection)
    for obj in objs:
        raw = [f.pre_save(obj, True) for f in fields]
        if any(hasattr(value, "resolve_expression") for value in raw):
            return list(manager.bulk_create(objs, batch_size=batch_size))
        rows.append(prepared.row(raw))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning, _params = connection.ops.return_insert_columns([opts.pk])
    limit = connection.features.max_query_params or 65535
    step = max(1, min(batch_size or 1000, limit // len(fields)))
    column: Any = opts.pk.get_col(opts.db_table)  # the returned key, as Django converts it
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            batch = rows[start : start + step]
            values = ", ".join([row_sql] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES {values} {returning}",
                [value for row in batch for value in row],
            )
            keys += [row[0] for row in cursor.fetchall()]
    if len(keys) != len(objs):
        raise RuntimeError("the database returned fewer keys than rows inserted")
    for obj, key in zip(objs, keys, strict=True):
        for converter in converters:
            key = converter(key, column, connection)
        obj.pk = key
        obj._state.adding = False
        obj._state.db = using
    return objs


def history_bulk_update(
    model: type[M],
    objs: Sequence[M],
    fields: Sequence[str],
    *,
    batch_size: int | None = None,
    partial: bool = False,
) -> int:
    """``bulk_update`` that writes the rows' history in bulk, in the open change set.

    ``partial``: the objects carry only the written fields; the history is then written from
    the rows read back after the update (one query per batch), so it holds every field.
    """
    objs = list(objs)
    if not objs:
        return 0
    attrs = _bulk_history_attrs(model, objs)
    with transaction.atomic(savepoint=False):
        updated = (
            model._default_manager.bulk_update(objs, list(fields), batch_size=batch_size)
            if fields
            else 0
        )
        if not partial:
            _history_rows_insert(model, objs, update=True, change_reason=None, **attrs)
            return int(updated)
        step = batch_size or 1000
        pks = [obj.pk for obj in objs]
        for start in range(0, len(pks), step):
            rows = list(model._default_manager.filter(pk__in=pks[start : start + step]))
            _history_rows_insert(model, rows, update=True, change_reason="", **attrs)
    return int(updated)


def _history_rows_insert(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    update: bool,
    change_reason: str | None,
    default_user: Any = None,
    custom_historical_attrs: dict[str, Any] | None = None,
) -> None:
    """Write the history rows of saved rows, as simple-history's ``bulk_history_create``.

    The same values (every tracked field, ``history_date``, ``history_user``, the change
    reason, ``history_type`` ``+`` or ``~``, the change set), without building a
    historical model instance per row nor compiling a multi-row ``INSERT`` value by value:
    each value goes through its field's ``get_db_prep_save`` and the rows go in with one
    ``executemany``. The importer writes tens of thousands of rows this way; Django's
    ``bulk_create`` spent most of an import compiling them. A historical model related
    to its row (``history_relation``) falls back to simple-history itself.
    """
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model: Any = model.history.model  # type: ignore[attr-defined]
    if hasattr(history_model, "history_relation"):
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            objs,
            update=update,
            default_user=default_user,
            default_change_reason=change_reason,
            custom_historical_attrs=custom_historical_attrs,
        )
        return
    user_field = history_model._meta.get_field("history_user")
    tracked = {f.attname for f in history_model.tracked_fields}
    fields = [f for f in history_model._meta.concrete_fields if f is not history_model._meta.pk]
    # A column that is neither a tracked field nor set below takes its default, as in
    # ``history_model(...)``.
    fixed = {
        **{f.attname: f.get_default() for f in fields if f.attname not in tracked},
        "history_type": "~" if update else "+",
        **(custom_historical_attrs or {}),
    }
    connection = connections[router.db_for_write(history_model)]
    now = timezone.now()
    prepared = PreparedRows(fields, connection)
    rows = []
    for obj in objs:
        user = getattr(
            obj, "_history_user", default_user or history_model.get_default_history_user(obj)
        )
        values = {
            **fixed,
            "history_date": getattr(obj, "_history_date", now),
            "history_change_reason": get_change_reason_from_object(obj) or change_reason,
            user_field.attname: getattr(user, "pk", user),
        }
        rows.append(
            prepared.row(
                getattr(obj, f.attname) if f.attname in tracked else values[f.attname]
                for f in fields
            )
        )
    quote = connection.ops.quote_name
    table = quote(history_model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class ChangeSetMiddleware:
    """Every writing request is one change set: ``api`` under /api/, else ``interface``."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in self.SAFE_METHODS:
            response: HttpResponse = self.get_response(request)
            return response
        channel = Channel.API if request.path.startswith("/api/") else Channel.INTERFACE
        with change_set_open(channel=channel, request=request):
            response = self.get_response(request)
        return response
