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

The key is computed from the database on every request, so a change written by any worker
is seen by every other one at its next request, whatever the cache backend: a per-process
cache only misses once more. That read is one statement (:func:`dashboard_entry`): the plan
by its address, its freshness row, the plan roll-up's time and all the user's roles
(which every permission question of the request then reads), so a role revoked a moment
ago by another worker closes the page at once.

The whole page is kept too, per user (their id, name and staff flag, which the frame
shows) on top of the body's key, with its CSRF token left out: each answer gets a fresh
masked token (Django's ``get_token``, as the ``{% csrf_token %}`` tag would). A request with
messages waiting is rendered in full, so they are shown and used up as on any page. So the
frame (``base.html``) must show nothing else that changes from one request to the next (a
Content-Security-Policy nonce, say) without it joining :func:`page_key`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from smartplan.access.models import PlanRole
from smartplan.access.user_roles import roles_keep, roles_of_rows, user_roles
from smartplan.core.code_version import CODE_VERSION
from smartplan.core.compiled_rows import compiled_row
from smartplan.core.kept_pages import (
    CSRF_SLOT,
    kept_page_answer,
    kept_page_content,
    kept_page_key,
    kept_page_parts,
    messages_waiting,
)
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


@dataclass(frozen=True)
class DashboardEntry:
    """What a dashboard request reads before anything else (see :func:`dashboard_entry`)."""

    plan: Plan  # its id and ``updated_at`` only: :func:`plan_whole` reads the rest
    current: bool  # the plan's stored states are current
    stamp: str  # a token of the plan's data version ("" when it has no freshness row)


@dataclass(frozen=True)
class _EntryStatement:
    sql: str
    names: tuple[str, ...]  # the plan's fields read, in the row's order
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


_entry_statements: dict[tuple[str, str], _EntryStatement] = {}
# What a kept page needs of the plan: the rest of its columns would cost the database more
# to parse and send on every request (issue 13) than one more query on a miss.
_PLAN_FIELDS = ("id", "updated_at")
_PLAN_LEVEL = RollUpState.Level.PLAN.value


def _entry_statement(alias: str) -> _EntryStatement:
    """The SQL of :func:`dashboard_entry` for the database ``alias``, written from the
    models' own table and column names once per process (its parameters: the level of a
    plan's roll-up, the user's id, the plan's slug)."""
    connection = connections[alias]
    kept = _entry_statements.get((alias, connection.vendor))
    if kept is not None:
        return kept
    quote = connection.ops.quote_name
    plan_meta, role_meta = Plan._meta, PlanRole._meta
    fields = [field for field in plan_meta.concrete_fields if field.attname in _PLAN_FIELDS]
    freshness, rollup = StatesFreshness._meta, RollUpState._meta
    projects = role_meta.get_field("projects")
    subs = role_meta.get_field("sub_indicators")

    def column(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    plan_pk = f"p.{quote(plan_meta.pk.column)}"
    columns = [f"p.{quote(field.column)}" for field in fields]
    columns += [
        f"f.{column(StatesFreshness, name)}"
        for name in ("inputs_version", "states_version", "changed_at")
    ]
    columns.append(
        f"(SELECT u.{column(RollUpState, 'computed_at')} FROM {quote(rollup.db_table)} u"
        f" WHERE u.{column(RollUpState, 'plan')} = {plan_pk}"
        f" AND u.{column(RollUpState, 'level')} = %s"
        f" ORDER BY u.{column(RollUpState, 'order')} LIMIT 1)"
    )
    columns += [
        f"r.{column(PlanRole, 'plan')}",
        f"r.{column(PlanRole, 'role')}",
        f"rp.{quote(projects.m2m_reverse_name())}",
        f"rs.{quote(subs.m2m_reverse_name())}",
    ]
    role_pk = f"r.{quote(role_meta.pk.column)}"
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(plan_meta.db_table)} p"
        f" LEFT OUTER JOIN {quote(freshness.db_table)} f"
        f" ON f.{column(StatesFreshness, 'plan')} = {plan_pk}"
        f" LEFT OUTER JOIN {quote(role_meta.db_table)} r"
        f" ON r.{column(PlanRole, 'user')} = %s"
        f" LEFT OUTER JOIN {quote(projects.m2m_db_table())} rp"
        f" ON rp.{quote(projects.m2m_column_name())} = {role_pk}"
        f" LEFT OUTER JOIN {quote(subs.m2m_db_table())} rs"
        f" ON rs.{quote(subs.m2m_column_name())} = {role_pk}"
        f" WHERE p.{column(Plan, 'slug')} = %s"
    )
    # The converters Django's own query of these columns would apply (SQLite's dates, …).
    compiler = Plan.objects.all().query.get_compiler(using=alias)
    found = compiler.get_converters([field.get_col("p") for field in fields])
    statement = _EntryStatement(
        sql,
        tuple(field.attname for field in fields),
        tuple((index, tuple(funcs), field) for index, (funcs, field) in found.items()),
    )
    _entry_statements[alias, connection.vendor] = statement
    return statement


def dashboard_entry(*, slug: str, user: Any) -> DashboardEntry | None:
    """The plan at ``slug`` (None: there is none), whether its stored states are current
    and a token of its data's version, and ``user``'s roles, in one statement.

    The roles (all of them, in every plan, as :func:`smartplan.access.user_roles.user_roles`
    reads them) are kept on the user for this request: the permission questions that follow
    read no more. On PostgreSQL a statement costs a round trip to the server, the largest
    part of this page once its body is kept; this one replaces three (issue 13).
    """
    alias = router.db_for_read(PlanRole)
    statement = _entry_statement(alias)
    active = user is not None and getattr(user, "pk", None) and user.is_active
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [_PLAN_LEVEL, user.pk if active else None, slug])
        rows = cursor.fetchall()
    if not rows:
        return None
    width = len(statement.names)
    roles_keep(user, roles_of_rows(row[width + 4 :] for row in rows))
    values = list(rows[0][:width])
    for index, funcs, field in statement.converters:
        for func in funcs:
            values[index] = func(values[index], field, connection)
    plan = Plan.from_db(alias, statement.names, values)
    inputs, states, *times = rows[0][width : width + 4]
    if inputs is None:  # no freshness row yet: stale (monitoring.freshness)
        return DashboardEntry(plan, False, "")
    times = [*times, plan.updated_at]
    token = f"p{plan.pk}.{inputs}.{states}." + ".".join(str(t) for t in times)
    return DashboardEntry(plan, states >= inputs, token)


def plan_whole(plan: Plan) -> Plan | None:
    """The plan with every field (the entry's has its id and time only), for rendering;
    None if it was deleted since."""
    if not plan.get_deferred_fields():
        return plan
    return Plan.objects.filter(pk=plan.pk).first()


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


TEMPLATE = "monitoring/dashboard.html"


def page_key(*, body: str, user: Any) -> str:
    """The key of the whole page for ``user``: the body's key and what the frame shows."""
    source = "|".join((body, str(user.pk), user.get_username(), str(bool(user.is_staff))))
    return "dashboard-page:" + hashlib.sha256(source.encode()).hexdigest()[:40]


def page_get(request: HttpRequest, key: str) -> HttpResponse | None:
    """The kept page with this request's CSRF token; None when there is none or messages
    wait to be shown."""
    if not settings.PORTAL_PAGE_STORE or messages_waiting(request):
        return None
    return kept_page_answer(request, cache.get(key), "text/html; charset=utf-8")


def front_key(*, request: HttpRequest, today: dt.date) -> str | None:
    """A key of the whole page asked before anything is read: every plan's data version
    and the accounts' version (``core.data_versions``, read with the session), the reader,
    the address, language, day and code. A page kept under it was rendered for the same
    data and the same permissions (a role taken back moves the accounts' version), so it
    is served with no statement of its own. None when the versions are not known."""
    if not settings.PORTAL_PAGE_STORE:
        return None
    return kept_page_key(request, "dashboard-front", today=today)


def page_render(
    request: HttpRequest, key: str | None, context: dict[str, Any], *, front: str | None = None
) -> HttpResponse:
    """The page rendered around its body; kept under ``key`` and ``front`` (None: not kept)
    when no messages wait (they are shown once)."""
    if key is None or not settings.PORTAL_PAGE_STORE or messages_waiting(request):
        return HttpResponse(render_to_string(TEMPLATE, context, request=request))
    text = render_to_string(TEMPLATE, {**context, "csrf_token": CSRF_SLOT}, request=request)
    parts = kept_page_parts(text.encode())
    cache.set(key, parts, BODY_SECONDS)
    if front is not None:
        cache.set(front, parts, BODY_SECONDS)
    return HttpResponse(kept_page_content(request, parts))
