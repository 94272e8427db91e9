"""HTTP caching of the public portal: ``Cache-Control``, ``ETag``, ``Last-Modified``, 304.

Every public page of a plan shows what the plan's registers and its stored monitoring
states say. Both already carry a per-plan stamp (``monitoring.StatesFreshness``):

* ``inputs_version`` rises in the transaction of every change of the plan's registers or
  of the plan itself - saves, deletes, many-to-many changes, and the bulk writes of imports,
  which send ``core.signals.plan_data_changed`` explicitly - and ``changed_at`` says when;
* ``states_version`` and the plan roll-up's ``computed_at`` move when the stored statuses
  are recomputed (also by ``smartplan recompute`` without any register change).

So one query over that row gives a validator for the whole plan. The ETag is built from
those numbers, the page's language and the code's version; ``Last-Modified`` is the later
of the last change and the last recompute. A conditional GET or HEAD whose validator still
holds gets ``304 Not Modified`` before the view runs (no other query).

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
from importlib import metadata
from typing import Any, TypeVar

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from smartplan.monitoring.models import RollUpState, StatesFreshness

# Seconds a shared cache may serve a public page without asking again; short, because a
# change should show soon, and cheap to revalidate (304) afterwards.
DEFAULT_MAX_AGE = 60


def _code_version() -> str:
    try:
        return metadata.version("smartplan")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "source"


CODE_VERSION = _code_version()

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


def _latest(*times: dt.datetime | None) -> dt.datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def plan_stamp(*, plan_slug: str) -> Stamp | None:
    """The stamp of a published plan's public pages, in one query; None when there is none."""
    computed = RollUpState.objects.filter(plan_id=OuterRef("plan_id"), level="plan").values(
        "computed_at"
    )[:1]
    row = (
        StatesFreshness.objects.filter(plan__slug=plan_slug, plan__published=True)
        .values_list(
            "plan_id", "inputs_version", "states_version", "changed_at", "plan__updated_at"
        )
        .annotate(computed=Subquery(computed))
        .first()
    )
    if row is None:
        return None
    plan_id, inputs, states, changed_at, updated_at, computed_at = row
    return Stamp(
        f"p{plan_id}.{inputs}.{states}.{computed_at.timestamp() if computed_at else 0}",
        _latest(changed_at, updated_at, computed_at),
    )


def site_stamp() -> Stamp:
    """The stamp of pages about every plan (the home page's plan list), in one query."""
    row = StatesFreshness.objects.aggregate(
        plans=Count("plan_id"),
        inputs=Sum("inputs_version"),
        states=Sum("states_version"),
        changed=Max("changed_at"),
        updated=Max("plan__updated_at"),
    )
    return Stamp(
        f"s{row['plans']}.{row['inputs'] or 0}.{row['states'] or 0}",
        _latest(row["changed"], row["updated"]),
    )


def _etag(request: HttpRequest, stamp: Stamp) -> str:
    # The language and the code's version change the page without changing the data.
    source = f"{stamp.token}|{translation.get_language()}|{CODE_VERSION}|{request.path}"
    return quote_etag(hashlib.sha256(source.encode()).hexdigest()[:32])


def _logged_in(request: HttpRequest) -> bool:
    # No session cookie, no session query: anonymous visitors cost nothing here.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def portal_cache(
    *,
    plan: bool = True,
    max_age: int = DEFAULT_MAX_AGE,
    extra: Callable[..., Stamp | None] | None = None,
) -> Callable[[View], View]:
    """Decorate a public view with the caching headers and 304 answers described above.

    ``plan=True``: the view takes ``plan_slug`` and shows that plan; ``plan=False``: the
    page shows every published plan (the home page).
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
            etag = _etag(request, stamp) if stamp is not None else None
            modified = stamp.modified.timestamp() if stamp and stamp.modified else None
            if etag is not None:
                not_modified = get_conditional_response(
                    request, etag=etag, last_modified=int(modified) if modified else None
                )
                if not_modified is not None:
                    _validators(not_modified, etag, modified)
                    _public(not_modified, max_age)
                    return not_modified
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and etag is not None:
                _validators(response, etag, modified)
            if response.status_code in (200, 404):
                _public(response, max_age)
            return response

        return wrapper  # type: ignore[return-value]

    return decorate


def _validators(response: HttpResponse, etag: str, modified: float | None) -> None:
    response.headers.setdefault("ETag", etag)
    if modified is not None:
        response.headers.setdefault("Last-Modified", http_date(modified))


def _public(response: HttpResponse, max_age: int) -> None:
    patch_vary_headers(response, ("Cookie",))
    if response.cookies:  # a cookie for one visitor must never sit in a shared cache
        patch_cache_control(response, private=True, no_store=True)
        return
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=max_age)
