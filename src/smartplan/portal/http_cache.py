"""HTTP caching of the public portal: ``Cache-Control``, ``ETag``, ``Last-Modified``, 304.

Every public page of a plan shows what the plan's registers and its stored monitoring
states say. Both already carry a per-plan stamp (``monitoring.StatesFreshness``):

* ``inputs_version`` rises in the transaction of every change of the plan's registers or
  of the plan itself - saves, deletes, many-to-many changes, and the bulk writes of imports,
  which send ``core.signals.plan_data_changed`` explicitly - and ``changed_at`` says when;
* ``states_version`` and the plan roll-up's ``computed_at`` move when the stored statuses
  are recomputed (also by ``smartplan recompute`` without any register change).

So one query over that row (and the plans' own records, which every page's plan switcher
lists) gives a validator for the whole plan. The ETag is built from those numbers, the
page's language, its address with the query, the date and the code's version (a
deployment changes every ETag); ``Last-Modified`` is the later
of the last change, the last recompute and the day's start. A conditional GET or HEAD whose
validator still holds gets ``304 Not Modified`` before the view runs (no other query).
Otherwise the page rendered for that ETag is kept in the server's cache (Django's default
cache, per process) and served from there: a plan's figures are computed once per version
of the plan, language and address, not once per visitor. So a page kept this way must
depend on nothing the stamp misses (the session, messages, a CSRF token): a response that
sets a cookie is never kept, nor offered to shared caches; ``store=False`` keeps none.

Use::

    from smartplan.portal.http_cache import portal_cache

    @portal_cache()                        # a page of one plan (the view takes plan_slug)
    def project_list(request, plan_slug): ...

    @portal_cache(plan=False)              # a page about every plan (the home page)
    def home(request): ...

    @portal_cache(extra=download_stamp)    # a page that also shows something else
    def dataset(request, plan_slug, dataset): ...

``extra(request, **view_kwargs)`` returns a :class:`Stamp` of what the page shows besides
the plan's registers (download counts, approved reports: rows with
``plan_data_signal = False`` do not move the plan's stamp); it is folded into the ETag and
``Last-Modified``. A plan that does not exist or is not published gets no validators (the
view answers 404 as usual).

Anonymous visitors get ``Cache-Control: public, max-age=<max_age>`` so a shared cache or CDN
may carry them; a logged-in user gets ``private, no-store`` and no 304, because the page
may differ for them. ``Vary: Cookie`` tells shared caches that much; the language is in
the address, so ``Accept-Language`` needs no ``Vary``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, F, Func, OuterRef, Subquery, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, quote_etag

from smartplan.core.code_version import CODE_VERSION
from smartplan.core.compiled_rows import compiled_row
from smartplan.monitoring.models import RollUpState, StatesFreshness
from smartplan.plans.models import Plan

# Seconds a shared cache may serve a public page without asking again; short, because a
# change should show soon, and cheap to revalidate (304) afterwards.
DEFAULT_MAX_AGE = 60
# Seconds a rendered page is kept in the server's cache under its ETag. The ETag names the
# plan's version, so a change is never served stale; this only bounds the memory.
STORE_SECONDS = 600


View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Stamp:
    """What a page's content depends on: an opaque token and when it last changed."""

    token: str
    modified: dt.datetime | None = None

    def combined(self, other: Stamp | None) -> Stamp:
        if other is None:
            return self
        times = [t for t in (self.modified, other.modified) if t is not None]
        return Stamp(f"{self.token}|{other.token}", max(times) if times else None)


def _time_token(value: Any) -> str:
    # A subquery's datetime arrives as text on SQLite; either way it only has to differ.
    return value.isoformat() if isinstance(value, dt.datetime) else str(value or 0)


def _latest(*times: dt.datetime | None) -> dt.datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _plans_frame() -> tuple[Subquery, Subquery, Subquery]:
    """Scalar subqueries over every plan's own record: every page's frame lists the
    published plans (the plan switcher), so publishing, hiding or renaming a plan changes
    every page, while another plan's registers do not."""

    # COUNT/MAX written as plain functions: Django adds no GROUP BY, so each subquery is
    # one aggregate over the whole table.
    def scalar(expression: Func) -> Subquery:
        return Subquery(Plan.objects.order_by().annotate(n=expression).values("n")[:1])

    return (
        scalar(Func(F("pk"), function="COUNT")),
        scalar(Func(Case(When(published=True, then=F("pk"))), function="COUNT")),
        scalar(Func(F("updated_at"), function="MAX")),
    )


def _plan_stamp_query(plan_slug: str) -> Any:
    computed = RollUpState.objects.filter(plan_id=OuterRef("plan_id"), level="plan").values(
        "computed_at"
    )[:1]
    plans, published, renamed = _plans_frame()
    return (
        StatesFreshness.objects.filter(plan__slug=plan_slug, plan__published=True)
        .annotate(computed=Subquery(computed), plans=plans, published=published, renamed=renamed)
        .values_list(
            "plan_id",
            "inputs_version",
            "states_version",
            "changed_at",
            "plan__updated_at",
            "computed",
            "plans",
            "published",
            "renamed",
        )[:1]
    )


# The stamp's SQL, compiled once per database: building the query with the ORM costs more
# than running it, and every public request (a 304 too) runs it.
def _plan_stamp_row(plan_slug: str) -> tuple[Any, ...] | None:
    return compiled_row("plan", _plan_stamp_query, plan_slug, model=StatesFreshness)


def _as_datetime(value: Any) -> dt.datetime | None:
    """A time from the raw row: aware (PostgreSQL), or naive or text in UTC (SQLite)."""
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def plan_stamp(*, plan_slug: str) -> Stamp | None:
    """The stamp of a published plan's public pages, in one query; None when there is none."""
    row = _plan_stamp_row(plan_slug)
    if row is None:
        return None
    plan_id, inputs, states, *times, plans, published, renamed = row
    changed_at, updated_at, computed_at = (_as_datetime(t) for t in times)
    # The times too: a version number alone may come back (a rolled-back transaction).
    moments = ".".join(_time_token(t) for t in (changed_at, updated_at, computed_at))
    return Stamp(
        f"p{plan_id}.{inputs}.{states}|{plans}.{published}|{moments}.{renamed}",
        _latest(changed_at, updated_at, computed_at),
    )


def _site_stamp_query(_placeholder: str) -> Any:
    # COUNT/SUM/MAX written as plain functions: one row over the whole table, no GROUP BY.
    def total(expression: Any, function: str) -> Func:
        return Func(expression, function=function)

    return (
        StatesFreshness.objects.order_by()
        .annotate(
            rows=total(F("plan_id"), "COUNT"),
            published=total(Case(When(plan__published=True, then=F("plan_id"))), "COUNT"),
            inputs=total(F("inputs_version"), "SUM"),
            states=total(F("states_version"), "SUM"),
            changed=total(F("changed_at"), "MAX"),
            updated=total(F("plan__updated_at"), "MAX"),
        )
        .values_list("rows", "published", "inputs", "states", "changed", "updated")[:1]
    )


def site_stamp() -> Stamp:
    """The stamp of pages about every plan (the home page's plan list), in one query."""
    row = compiled_row("site", _site_stamp_query, model=StatesFreshness) or (0, 0, 0, 0, None, None)
    rows, published, inputs, states, *times = row
    changed, updated = (_as_datetime(t) for t in times)
    moments = ".".join(_time_token(t) for t in (changed, updated))
    return Stamp(
        f"s{rows}.{published}.{inputs or 0}.{states or 0}|{moments}", _latest(changed, updated)
    )


def _etag(request: HttpRequest, stamp: Stamp, today: dt.date) -> str:
    # The language, the address (with its query: filters, pages) and the code's version
    # change the page without changing the data; the date changes the expected progress
    # and the default year of the figures.
    source = "|".join(
        (
            stamp.token,
            translation.get_language() or "",
            CODE_VERSION,
            request.get_full_path(),
            today.isoformat(),
        )
    )
    return quote_etag(hashlib.sha256(source.encode()).hexdigest()[:32])


def _day_start(today: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today, dt.time()))


def _logged_in(request: HttpRequest) -> bool:
    # No session cookie, no session query: anonymous visitors cost nothing here.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def portal_cache(
    *,
    plan: bool = True,
    max_age: int = DEFAULT_MAX_AGE,
    extra: Callable[..., Stamp | None] | None = None,
    store: bool = True,
) -> Callable[[View], View]:
    """Decorate a public view with the caching headers and 304 answers described above.

    ``plan=True``: the view takes ``plan_slug`` and shows that plan; ``plan=False``: the
    page shows every published plan (the home page). ``store=False``: never keep the
    rendered page on the server (a page that differs by something the stamp misses).
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if _logged_in(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_store=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            stamp = plan_stamp(plan_slug=kwargs["plan_slug"]) if plan else site_stamp()
            if stamp is not None and extra is not None:
                stamp = stamp.combined(extra(request, *args, **kwargs))
            if stamp is None:  # no such public plan: the view answers (404)
                response = view(request, *args, **kwargs)
                if response.status_code in (200, 404):
                    _public(response, max_age)
                return response
            today = timezone.localdate()
            etag = _etag(request, stamp, today)
            # Not before today's start: the ETag changes at midnight, so must the date.
            day_start = _day_start(today)
            modified = int(max(stamp.modified or day_start, day_start).timestamp())
            not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
            if not_modified is not None:
                _validators(not_modified, etag, modified)
                _public(not_modified, max_age)
                return not_modified
            key = f"portal-page:{etag}"
            keep = store and settings.PORTAL_PAGE_STORE
            stored = cache.get(key) if keep else None
            if stored is not None:
                status, content_type, content = stored
                response = HttpResponse(content, content_type=content_type, status=status)
            else:
                response = view(request, *args, **kwargs)
                if (
                    keep
                    and response.status_code == 200
                    and not response.streaming
                    and not response.cookies
                ):
                    cache.set(
                        key,
                        (response.status_code, response["Content-Type"], response.content),
                        STORE_SECONDS,
                    )
            if response.status_code == 200:
                _validators(response, etag, modified)
            if response.status_code in (200, 404):
                _public(response, max_age)
            return response

        return wrapper  # type: ignore[return-value]

    return decorate


def _validators(response: HttpResponse, etag: str, modified: int) -> None:
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(modified))


def _public(response: HttpResponse, max_age: int) -> None:
    patch_vary_headers(response, ("Cookie",))
    if response.cookies:  # a cookie for one visitor must never sit in a shared cache
        patch_cache_control(response, private=True, no_store=True)
        return
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=max_age)
