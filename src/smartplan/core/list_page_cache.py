"""The editing interface's register lists, rendered once per version of what they show.

Django admin renders a list page in 20–60 ms whatever it holds (its own empty list of groups
costs as much as a bare Django view's 25 requests). A coordinator and the departments open
the same lists again and again between changes, so a register's list page is kept in
Django's cache and served from there while nothing it shows has changed. Its key names

* the data's versions (:mod:`core.data_versions`, one statement per request): every plan's
  data version, and the accounts' version, which rises with every change of users (a list
  names who entered a value), groups, permissions, devices and roles - so the reader's
  permissions, which decided what the page offers, are the ones it was rendered for;
* the reader (their account) and the language;
* the page: the address with its query (filters, search, sorting, page), today's date (a
  year filter, what is overdue) and the code's version.

The versions are read from the database at every request, so a change written by any
worker is seen by all at their next request, whatever the cache backend. A list of a model
whose writes announce nothing (``plan_data_signal = False``: stored states, report jobs,
roles) is never kept. Nothing else of the request is in the page: its CSRF tokens are
filled in per response and a page showing messages ("the row was saved") is rendered for
that request only (:mod:`core.kept_pages`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from smartplan.core.kept_pages import (
    CSRF_SLOT,
    kept_page_answer,
    kept_page_content,
    kept_page_key,
    kept_page_parts,
    messages_waiting,
)

# Seconds a page is kept. Its key names the data's version, so it is never served stale;
# this only bounds the memory.
PAGE_SECONDS = 600


def _keepable(request: HttpRequest, model: Any) -> bool:
    return (
        settings.PORTAL_PAGE_STORE
        and request.method in ("GET", "HEAD")
        and getattr(model, "plan_data_signal", False)
        and bool(getattr(request.user, "pk", None))
        and not messages_waiting(request)
    )


def list_page_key(request: HttpRequest, model: Any, *, today: dt.date) -> str | None:
    """The key of this request's list page of ``model``, or None when it is not kept."""
    if not _keepable(request, model):
        return None
    return kept_page_key(request, f"admin-list:{model._meta.label_lower}", today=today)


def list_page_get(key: str, request: HttpRequest) -> HttpResponse | None:
    """The kept page with this reader's fresh CSRF token, or None."""
    kept = cache.get(key)
    if not isinstance(kept, tuple) or len(kept) != 2:
        return None
    content_type, parts = kept
    return kept_page_answer(request, parts, content_type)


def list_page_context(key: str | None) -> dict[str, Any]:
    """The extra context of a page that may be kept: its CSRF tokens rendered as slots."""
    return {} if key is None else {"csrf_token": CSRF_SLOT}


def list_page_finish(key: str | None, request: HttpRequest, response: Any) -> Any:
    """Fill the slots of a page rendered with :func:`list_page_context`, and keep it if it
    is a plain page (200, no messages shown) under ``key``."""
    if key is None or not isinstance(response, SimpleTemplateResponse):
        return response
    response.render()
    parts = kept_page_parts(response.content)
    response.content = kept_page_content(request, parts)
    if response.status_code == 200 and not messages_waiting(request):
        cache.set(key, (response["Content-Type"], parts), PAGE_SECONDS)
    return response
