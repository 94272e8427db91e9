"""One signal for "a plan's registers changed", so that derived data can follow.

Apps that keep something derived from a plan's registers (monitoring's stored states,
later caches of the public portal) connect to ``plan_data_changed`` and nothing else; the
domain apps do not know them. The signal is sent

* for every save and delete of a register row (a ``PlanScoped`` model) and of the plan
  itself, whoever writes it: a service, the editing interface, the API, a shell;
* for every change of a many-to-many relation of a register (an indicator's goals);
* explicitly by every bulk write (``bulk_create``, ``bulk_update``, ``QuerySet.update``),
  which Django sends no per-row signals for: call ``plan_data_changed_send`` in the same
  transaction as the write.

Receivers run inside the writer's transaction, so what they write commits or rolls back
with the change. Models derived from the registers, or only bookkeeping (stored states,
reminders sent, report files and jobs), set ``plan_data_signal = False`` and send nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from smartplan.core.models import PlanScoped

# Sent with ``sender`` = the model written, ``plan_id`` and ``kind``: "created", "changed",
# "deleted", "relation" (a many-to-many change) or "bulk".
plan_data_changed = Signal()

CREATED, CHANGED, DELETED, RELATION, BULK = "created", "changed", "deleted", "relation", "bulk"


def plan_data_changed_send(*, model: type[models.Model], plan_id: int, kind: str = BULK) -> None:
    """Announce a change of ``plan_id``'s data by ``model``; for bulk writes, which send none."""
    plan_data_changed.send(sender=model, plan_id=plan_id, kind=kind)


def _plan_id_of(instance: models.Model) -> int | None:
    if isinstance(instance, PlanScoped):
        return instance.plan_id
    if instance._meta.label_lower == "plans.plan":
        return int(instance.pk)
    return None


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: rows arrive in any order; whoever loads recomputes
        return
    plan_id = _plan_id_of(instance)
    if plan_id:
        plan_data_changed_send(
            model=sender, plan_id=plan_id, kind=CREATED if kwargs.get("created") else CHANGED
        )


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    plan_id = _plan_id_of(instance)
    if plan_id:
        plan_data_changed_send(model=sender, plan_id=plan_id, kind=DELETED)


def _relation_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not kwargs.get("action", "").startswith("post_"):
        return
    plan_id = _plan_id_of(instance)
    if plan_id:
        plan_data_changed_send(model=type(instance), plan_id=plan_id, kind=RELATION)


def plan_signals_connect() -> None:
    """Send ``plan_data_changed`` for the plan and every register (called once, at start)."""
    plan_model = apps.get_model("plans", "Plan")
    tracked: list[type[models.Model]] = [plan_model]
    for model in apps.get_models():
        if (
            issubclass(model, PlanScoped)
            and not model._meta.abstract
            and getattr(model, "plan_data_signal", True)
        ):
            tracked.append(model)
    for model in tracked:
        label = model._meta.label_lower
        post_save.connect(_saved, sender=model, dispatch_uid=f"plan-data-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"plan-data-delete-{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _relation_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"plan-data-m2m-{label}-{field.name}",
            )
