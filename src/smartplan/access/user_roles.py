"""A user's roles, read once per request: what every permission check of that request reads.

The roles are kept on the user object, which Django makes once per request
(``request.user``), so a page that asks a thousand questions reads the roles once. A data
provider's token carries its own roles (:mod:`smartplan.access.token_auth`): the token's plan
and sub-indicators, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from smartplan.access.models import PlanRole
from smartplan.core.statement_cache import values_rows

_CACHE = "_smartplan_roles"
_COLUMNS = ("plan_id", "role", "projects__id", "sub_indicators__id")


@dataclass
class UserRoles:
    """The plans a user holds each role in, and the projects and sub-indicators they reach."""

    plans: dict[str, set[int]] = field(default_factory=dict)  # role → plan ids
    projects: set[int] = field(default_factory=set)  # a guarantor's projects
    sub_indicators: set[int] = field(default_factory=set)  # a provider's sub-indicators
    # Whether the public's view applies too (not for a token: it sees its scope only).
    public: bool = True

    def roles_in(self, plan_id: int | None) -> list[str]:
        return [role for role, plans in self.plans.items() if plan_id in plans]

    @property
    def any(self) -> bool:
        return any(self.plans.values())


def user_roles(user: Any) -> UserRoles:
    """The roles of ``user`` (one query, then kept for the rest of the request)."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    roles = UserRoles()
    if user is not None and getattr(user, "pk", None) and user.is_active:
        # No ordering: the model's (by plan and user name) joins two tables for nothing.
        # Every logged-in request asks this; its statement is kept (statement_cache), as
        # compiling the query costs more than answering it.
        rows = values_rows(PlanRole.objects.filter(user_id=user.pk).order_by().values(*_COLUMNS))
        roles = roles_of_rows(tuple(row[name] for name in _COLUMNS) for row in rows)
    roles_keep(user, roles)
    return roles


def roles_of_rows(rows: Iterable[Sequence[Any]]) -> UserRoles:
    """The roles from rows of (plan id, role, project id, sub-indicator id), as a role's
    projects and sub-indicators join them (None where a role has none, or for no role)."""
    roles = UserRoles()
    for plan_id, role, project_id, sub_id in rows:
        if role is None:
            continue
        roles.plans.setdefault(role, set()).add(plan_id)
        if project_id is not None:
            roles.projects.add(project_id)
        if sub_id is not None:
            roles.sub_indicators.add(sub_id)
    return roles


def roles_keep(user: Any, roles: UserRoles) -> None:
    """Attach ``roles`` to the user object (the token does, and ``user_roles``)."""
    if user is not None:
        setattr(user, _CACHE, roles)


def roles_forget(user: Any) -> None:
    """Read the roles again on the next question (after a grant, in the same request)."""
    for name in (_CACHE, "_smartplan_published_plans"):
        if user is not None and hasattr(user, name):
            delattr(user, name)
