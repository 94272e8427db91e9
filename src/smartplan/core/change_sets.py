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
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
    """``bulk_create`` that writes the rows' history in bulk, in the open change set."""
    objs = list(objs)
    if not objs:
        return []
    created: list[M] = bulk_create_with_history(
        objs, model, batch_size=batch_size, **_bulk_history_attrs(model, objs)
    )
    return created


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
    if not partial:
        return int(
            bulk_update_with_history(objs, model, list(fields), batch_size=batch_size, **attrs)
        )
    updated = model._default_manager.bulk_update(objs, list(fields), batch_size=batch_size)
    step = batch_size or 1000
    pks = [obj.pk for obj in objs]
    history = model.history  # type: ignore[attr-defined]
    for start in range(0, len(pks), step):
        rows = list(model._default_manager.filter(pk__in=pks[start : start + step]))
        history.bulk_history_create(rows, update=True, batch_size=batch_size, **attrs)
    return updated


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
