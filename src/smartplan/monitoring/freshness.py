"""Whether a plan's stored states are current: a durable stale mark that survives a crash.

The stored states (``SubIndicatorState``, ``RollUpState``) are a cache of the rules over a
plan's registers. Keeping them current is a protocol of two versions per plan, one small
row (``StatesFreshness``):

1. every transaction that changes a plan's registers raises the plan's ``inputs_version``
   once, inside that transaction (``states_mark_stale``), so the mark commits exactly when
   the change does and never without it;
2. a recompute reads ``inputs_version`` before it reads the registers
   (``states_version_start``) and, in the transaction that replaces the states, records it
   as ``states_version`` (``states_version_record``), unless a recompute that started later
   has already stored newer states.

The states are current when ``states_version >= inputs_version``. A change committed while
a recompute runs has a higher version, so the plan stays stale and the change is not lost.
A plan without the row (loaded with ``loaddata``) counts as stale. Who recomputes a stale
plan: the writer right after its commit (best effort), the next read of the states
(monitoring.current_states) and the report worker between jobs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from smartplan.monitoring.models import StatesFreshness
from smartplan.plans.models import Plan


def states_freshness_create(*, plan_id: int) -> None:
    """The row of a new plan, in the transaction that creates the plan: stale until computed."""
    StatesFreshness.objects.get_or_create(
        plan_id=plan_id, defaults={"inputs_version": 1, "states_version": 0}
    )


def states_mark_stale(*, plan_id: int) -> None:
    """Raise the plan's inputs version; call inside the transaction that changes its registers.

    One UPDATE of one small row: concurrent writers of the same plan wait for each other
    there (on PostgreSQL a row lock, on SQLite the database's one write lock they hold
    anyway). No row is created here: a plan being deleted must not get one back, and a plan
    without the row is stale already.
    """
    StatesFreshness.objects.filter(plan_id=plan_id).update(
        inputs_version=F("inputs_version") + 1, changed_at=timezone.now()
    )


def states_version_start(*, plan: Plan) -> int:
    """The inputs version a recompute starting now computes from; read before the registers."""
    row, _created = StatesFreshness.objects.get_or_create(
        plan=plan, defaults={"inputs_version": 1, "states_version": 0}
    )
    return row.inputs_version


# The attributes by which monitoring.recompute_triggers finds the recompute it registered
# with transaction.on_commit for a plan: that callback stands for "marked in this
# transaction" (a savepoint rolled back drops both the mark and the callback).
PLAN_ATTR, SPENT_ATTR = "smartplan_plan_id", "smartplan_mark_spent"


def states_version_record(*, plan: Plan, version: int) -> bool:
    """Record that the states being written come from ``version``; in their transaction.

    False when a recompute that started later has already stored its states: the caller then
    keeps those (they are newer) and writes nothing. This UPDATE comes first in the
    transaction, so on SQLite the transaction takes the write lock before anything else.
    """
    recorded = bool(
        StatesFreshness.objects.filter(plan=plan, states_version__lte=version).update(
            states_version=version
        )
    )
    # A mark made earlier in this transaction is used up by these states: the next change
    # in the same transaction must mark the plan again.
    for entry in transaction.get_connection().run_on_commit:
        if getattr(entry[1], PLAN_ATTR, None) == plan.pk:
            setattr(entry[1], SPENT_ATTR, True)
    return recorded


def stale_plan_ids(*, plan_ids: Iterable[int] | QuerySet[Any] | None = None) -> list[int]:
    """Plans (of ``plan_ids``, or all) whose stored states are not current; one query.

    ``plan_ids`` may be a query (``values_list("plan_id")``): it becomes a subquery.
    """
    current = StatesFreshness.objects.filter(states_version__gte=F("inputs_version"))
    plans = Plan.objects.exclude(pk__in=current.values("plan_id"))
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    return list(plans.order_by("pk").values_list("pk", flat=True))


def plan_states_are_current(*, plan: Plan) -> bool:
    """Whether the stored states of ``plan`` follow its registers; one query."""
    return StatesFreshness.objects.filter(
        plan=plan, states_version__gte=F("inputs_version")
    ).exists()


def plans_stamp_subqueries() -> list[str]:
    """Scalar subqueries whose values together change with every plan's data (the editing
    interface's kept lists, ``core.list_page_cache``): the number of plans, the largest plan
    id, the sums of the versions and the last change. NULL while some plan has no row (its
    changes would move nothing): nothing is kept then."""
    plans = Plan._meta.db_table
    rows = StatesFreshness._meta.db_table
    return [
        f"(SELECT COUNT(*) FROM {plans})",
        f"(SELECT CASE WHEN COUNT(*) = (SELECT COUNT(*) FROM {plans}) THEN MAX(plan_id) END"
        f" FROM {rows})",
        f"(SELECT SUM(inputs_version) FROM {rows})",
        f"(SELECT SUM(states_version) FROM {rows})",
        f"(SELECT COALESCE(CAST(MAX(changed_at) AS TEXT), '-') FROM {rows})",
    ]
