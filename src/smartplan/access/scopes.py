"""The policy applied to rows: one object (``object_permitted``), many rows as one query filter
(``rows_permitted``), and the plans a user may act in (``plans_permitted``).

Per register, the path from a row to its flagship project and to its sub-indicator: a
guarantor reaches the rows whose project is one of theirs, a data provider the rows whose
sub-indicator is one of theirs. The rules themselves are in :mod:`smartplan.access.policy`.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable
from functools import reduce
from typing import Any

from django.db.models import Model, Q, QuerySet

from smartplan.access import policy
from smartplan.access.user_roles import UserRoles, user_roles

# register → the path (Django lookup) from a row to its flagship project's id.
PROJECT_PATHS: dict[str, str] = {
    "projects.flagshipproject": "id",
    "projects.projectstatusreport": "project_id",
    "projects.activity": "project_id",
    "projects.activityfulfilment": "activity__project_id",
    "projects.activitycost": "activity__project_id",
    "indicators.indicator": "project_id",
    "indicators.subindicator": "indicator__project_id",
    "indicators.measurement": "sub_indicator__indicator__project_id",
    "indicators.measurementrevision": "measurement__sub_indicator__indicator__project_id",
    "observations.observationseries": "project_id",
    "observations.observation": "series__project_id",
}
# register → the path from a row to its sub-indicator's id.
SUB_INDICATOR_PATHS: dict[str, str] = {
    "indicators.subindicator": "id",
    "indicators.measurement": "sub_indicator_id",
    "indicators.measurementrevision": "measurement__sub_indicator_id",
}
# register → the rows of it that are not drafts (what the public may see).
NOT_DRAFT: dict[str, Q] = {
    "reports.report": Q(approved_on__isnull=False),
    "reports.reportfile": Q(report__approved_on__isnull=False),
}
_PUBLISHED = "_smartplan_published_plans"


def label_of(model: type[Model] | Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def perm_split(perm: str) -> tuple[str, str]:
    """ "projects.change_activity" → ("change", "projects.activity")."""
    app_label, _dot, codename = perm.partition(".")
    action, _sep, model_name = codename.partition("_")
    return action, f"{app_label}.{model_name}"


# -- one object -------------------------------------------------------------------------


def _walk(obj: Any, path: str) -> Any:
    """Follow ``path`` ("activity__project_id") from ``obj``; None where a link is missing."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def _plan_id(obj: Any) -> int | None:
    if label_of(obj) == "plans.plan":
        return obj.pk  # type: ignore[no-any-return]
    plan_id = getattr(obj, "plan_id", None)
    if plan_id is None and getattr(obj, "plan_parent", None):
        # A row being added under a parent gets its plan only when saved.
        plan_id = getattr(getattr(obj, obj.plan_parent, None), "plan_id", None)
    return plan_id


def _is_draft(label: str, obj: Any) -> bool:
    if label == "reports.report":
        return obj.approved_on is None
    if label == "reports.reportfile":
        return obj.report.approved_on is None
    return False


def _published_plans(user: Any) -> set[int]:
    """The published plans' ids, read once per request like the roles."""
    found = getattr(user, _PUBLISHED, None)
    if found is None:
        from smartplan.plans.models import Plan

        found = set(Plan.objects.filter(published=True).values_list("pk", flat=True))
        setattr(user, _PUBLISHED, found)
    return found


def _in_reach(role: str, label: str, obj: Any, roles: UserRoles) -> bool:
    reach = policy.REACH[role]
    if reach == policy.PLAN:
        return True
    paths, allowed = (
        (PROJECT_PATHS, roles.projects)
        if reach == policy.PROJECTS
        else (SUB_INDICATOR_PATHS, roles.sub_indicators)
    )
    path = paths.get(label)
    return path is not None and _walk(obj, path) in allowed


def _active(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_active", False))


def object_permitted(user: Any, action: str, label: str, obj: Any | None) -> bool:
    """Whether ``user`` may ``action`` the row ``obj`` of register ``label``.

    Without an object the question is whether the user could do it somewhere (in some plan,
    in some of their projects): the editing interface then shows the register.
    """
    kind = policy.kind_of(label)
    if kind is None or user is None:
        return False
    if _active(user) and user.is_superuser:
        return True
    anonymous = bool(getattr(user, "is_anonymous", True))
    if not anonymous and not _active(user):
        return False
    roles = user_roles(user)
    if obj is None:
        return any(
            policy.role_allows(role, kind, action) or policy.member_allows(role, kind, action)
            for role, plans in roles.plans.items()
            if plans
        )
    plan_id = _plan_id(obj)
    for role in roles.roles_in(plan_id):
        if policy.role_allows(role, kind, action) and _in_reach(role, label, obj, roles):
            return True
        if policy.member_allows(role, kind, action) and not (
            role == policy.GUARANTOR and _is_draft(label, obj)
        ):
            return True
    return (
        roles.public
        and policy.public_allows(kind, action)
        and plan_id in _published_plans(user)
        and not _is_draft(label, obj)
    )


# -- many rows --------------------------------------------------------------------------

_NOTHING = Q(pk__in=[])


def _plan_lookup(label: str) -> str:
    return "pk" if label == "plans.plan" else "plan_id"


def rows_filter(user: Any, label: str, action: str) -> Q | None:
    """The rows of register ``label`` that ``user`` may ``action``, as one filter; None for
    every row (a superuser)."""
    kind = policy.kind_of(label)
    if user is None or kind is None:
        return _NOTHING
    if _active(user) and user.is_superuser:
        return None
    anonymous = bool(getattr(user, "is_anonymous", True))
    if not anonymous and not _active(user):
        return _NOTHING
    roles = user_roles(user)
    plan_field = _plan_lookup(label)
    not_draft = NOT_DRAFT.get(label, Q())
    found: list[Q] = []  # the conditions, any of which lets a row in
    # The plans whose every row the user reaches, gathered over the roles into one
    # condition (a coordinator is also a member: one "plan_id IN" instead of two, less
    # for the query to compile on every API page).
    whole_plans: set[int] = set()
    for role, plans in roles.plans.items():
        if not plans:
            continue
        if policy.role_allows(role, kind, action):
            reach = policy.REACH[role]
            if reach == policy.PLAN:
                whole_plans |= plans
            else:
                paths, ids = (
                    (PROJECT_PATHS, roles.projects)
                    if reach == policy.PROJECTS
                    else (SUB_INDICATOR_PATHS, roles.sub_indicators)
                )
                path = paths.get(label)
                if path is not None:
                    found.append(Q(**{f"{path}__in": sorted(ids)}))
        if policy.member_allows(role, kind, action):
            if role == policy.GUARANTOR:
                found.append(Q(**{f"{plan_field}__in": sorted(plans)}) & not_draft)
            else:
                whole_plans |= plans
    if whole_plans:
        found.append(Q(**{f"{plan_field}__in": sorted(whole_plans)}))
    if roles.public and policy.public_allows(kind, action):
        published = Q(published=True) if label == "plans.plan" else Q(plan__published=True)
        found.append(published & not_draft)
    return reduce(operator.or_, found) if found else _NOTHING


def rows_scope_key(user: Any) -> Hashable:
    """Everything about ``user`` that :func:`rows_filter` reads: equal keys give equal
    filters for every register and action (the ``core.access_scope`` hook)."""
    if user is None:
        return None
    active = _active(user)
    anonymous = bool(getattr(user, "is_anonymous", True))
    if active and user.is_superuser:
        return ("superuser",)
    if not anonymous and not active:
        return ("inactive",)
    roles = user_roles(user)
    return (
        anonymous,
        roles.public,
        tuple(sorted((role, tuple(sorted(plans))) for role, plans in roles.plans.items())),
        tuple(sorted(roles.projects)),
        tuple(sorted(roles.sub_indicators)),
    )


def rows_permitted(user: Any, queryset: QuerySet[Any], action: str = "view") -> QuerySet[Any]:
    """The rows of ``queryset`` that ``user`` may ``action`` (the ``core.access_scope`` hook)."""
    where = rows_filter(user, label_of(queryset.model), action)
    return queryset if where is None else queryset.filter(where)


def plans_permitted(user: Any, perm: str) -> QuerySet[Any]:
    """The plans in which ``user`` may do ``perm`` on some row (the choices of a plan field)."""
    from smartplan.plans.models import Plan

    plans = Plan.objects.all()
    action, label = perm_split(perm)
    kind = policy.kind_of(label)
    if user is None or kind is None:
        return plans.none()
    if _active(user) and user.is_superuser:
        return plans
    anonymous = bool(getattr(user, "is_anonymous", True))
    if not anonymous and not _active(user):
        return plans.none()
    roles = user_roles(user)
    ids = {
        plan_id
        for role, role_plans in roles.plans.items()
        if policy.role_allows(role, kind, action) or policy.member_allows(role, kind, action)
        for plan_id in role_plans
    }
    where = Q(pk__in=sorted(ids))
    if roles.public and policy.public_allows(kind, action):
        where |= Q(published=True)
    return plans.filter(where)
