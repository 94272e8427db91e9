"""Which rows and plans a user may see or change: the question every page, export and API
list asks before it reads.

The access app answers it (roles granted per plan, object rules); ``core`` holds only the
hook, so the registers, the editing interface and the API ask without importing the app
that answers. Single objects are asked the Django way, ``user.has_perm(perm, obj)``, which
the access app's authentication backend makes object-aware.

Without an answering app the rule is Django's own: a superuser sees everything, anyone else
what their model permission allows, in every plan.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet

# (user, queryset, action) -> the rows of queryset the user may act on.
RowFilter = Callable[[Any, QuerySet[Any], str], QuerySet[Any]]
# (user, perm) -> the plans in which the user holds perm ("stack.add_stackitem", …).
PlanFilter = Callable[[Any, str], QuerySet[Any]]

# user -> everything about the user that ``rows_permitted`` reads (equal keys, equal filters).
ScopeKey = Callable[[Any], Hashable]

_row_filter: RowFilter | None = None
_plan_filter: PlanFilter | None = None
_scope_key: ScopeKey | None = None


def access_scope_register(
    *, rows: RowFilter, plans: PlanFilter, scope_key: ScopeKey | None = None
) -> None:
    """Installs the answer (called once by the access app when it is ready)."""
    global _row_filter, _plan_filter, _scope_key
    _row_filter, _plan_filter, _scope_key = rows, plans, scope_key


def rows_scope_key(user: Any) -> Hashable | None:
    """A value that is equal for two users exactly when ``rows_permitted`` gives them the
    same filter (the same roles in the same plans, ...); None when the answering app does
    not say. Lets a caller keep what it built from the filter (``core.statement_cache``)."""
    return _scope_key(user) if _scope_key is not None else None


def _perm(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def rows_permitted(user: Any, queryset: QuerySet[Any], action: str = "view") -> QuerySet[Any]:
    """The rows of ``queryset`` that ``user`` may ``action`` (view, change, delete, …)."""
    if _row_filter is not None:
        return _row_filter(user, queryset, action)
    if user is not None and user.is_active and user.has_perm(_perm(queryset.model, action)):
        return queryset
    return queryset.none()


def plans_permitted(user: Any, perm: str) -> QuerySet[Any]:
    """The plans in which ``user`` holds ``perm``: the choices of a plan field, say."""
    plans: QuerySet[Any] = apps.get_model("plans", "Plan")._default_manager.all()
    if _plan_filter is not None:
        return _plan_filter(user, perm)
    if user is not None and user.is_active and user.has_perm(perm):
        return plans
    return plans.none()
