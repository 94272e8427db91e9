"""The coordinator's dashboard's body, rendered once per version of the plan's data.

The dashboard's figures (stored states and roll-ups, overdue values, money, the stack,
projects without a status) are read from the plan's registers and its stored states. A
plan's ``StatesFreshness`` row already moves with both: ``inputs_version`` and
``changed_at`` rise in the transaction of every change of a register (including the people,
departments and status reports the dashboard names), ``states_version`` and the plan
roll-up's ``computed_at`` when the states are recomputed. So the rendered body is kept in
Django's cache under a key made of

* the plan and those numbers and times (and the plan's own ``updated_at``),
* today's date (the overdue list, the quarter, the money's year), the language, the
  address with its query (each list pages on its own), the code's version,
* the user's roles in the plan (and whether they are a superuser): the body is the same for
  everyone allowed to see it today, but a page kept for one role is never shown to another.

The key is computed from the database on every request (one query), so a change written by
any worker is seen by every other one at its next request, whatever the cache backend: a
per-process cache only misses once more. Only the body is kept: the frame around it (the
user's name, the log-out form with its CSRF token, messages) is rendered per request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import translation

from smartplan.access.user_roles import user_roles
from smartplan.core.code_version import CODE_VERSION
from smartplan.core.compiled_rows import compiled_row
from smartplan.monitoring.models import RollUpState, StatesFreshness
from smartplan.plans.models import Plan

# Seconds a body is kept. Its key names the plan's version, so it is never served stale;
# this only bounds the memory.
BODY_SECONDS = 600


def _stamp_query(plan_slug: str) -> Any:
    computed = RollUpState.objects.filter(plan_id=OuterRef("plan_id"), level="plan").values(
        "computed_at"
    )[:1]
    return (
        StatesFreshness.objects.filter(plan__slug=plan_slug)
        .annotate(computed=Subquery(computed))
        .values_list(
            "plan_id",
            "inputs_version",
            "states_version",
            "changed_at",
            "computed",
            "plan__updated_at",
        )[:1]
    )


def plan_data_stamp(*, plan: Plan) -> tuple[bool, str]:
    """Whether the plan's stored states are current, and a token of its data's version.

    One query, its SQL compiled once per process (the portal's way: building it with the
    ORM would cost more than running it): the plan's freshness row with the plan
    roll-up's ``computed_at``. A plan without the row counts as stale (see
    monitoring.freshness).
    """
    row = compiled_row("dashboard", _stamp_query, plan.slug, model=StatesFreshness)
    if row is None:
        return False, ""
    plan_id, inputs, states, *times = row
    token = f"p{plan_id}.{inputs}.{states}." + ".".join(str(t) for t in times)
    return states >= inputs, token


def _role_token(user: Any, plan: Plan) -> str:
    roles = sorted(user_roles(user).roles_in(plan.pk))
    return f"{'su' if getattr(user, 'is_superuser', False) else 'u'}:{','.join(roles)}"


def body_key(*, request: HttpRequest, plan: Plan, stamp: str, today: dt.date) -> str:
    """The cache key of the dashboard body for this request (see the module's text)."""
    source = "|".join(
        (
            stamp,
            today.isoformat(),
            translation.get_language() or "",
            request.get_full_path(),
            CODE_VERSION,
            _role_token(request.user, plan),
        )
    )
    return "dashboard-body:" + hashlib.sha256(source.encode()).hexdigest()[:40]


def body_get(key: str) -> str | None:
    if not settings.PORTAL_PAGE_STORE:
        return None
    body = cache.get(key)
    return body if isinstance(body, str) else None


def body_set(key: str, body: str) -> None:
    if settings.PORTAL_PAGE_STORE:
        cache.set(key, body, BODY_SECONDS)
