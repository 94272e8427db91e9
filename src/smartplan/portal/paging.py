"""Pages of the portal's long lists: one Paginator and one address scheme for them all.

A plan at national size has hundreds of projects and indicators and thousands of stack items:
a list page renders one page of them (``?strana=N``), so its time and size do not grow with
the plan, and per-item figures are computed only for the page's items. The page number is in
the address with the visitor's filters (the links keep them; the language is in the path).
A page number beyond the last shows the last page and one that is not a number the first
(:meth:`django.core.paginator.Paginator.get_page`), never an error. A page with two lists
(the steering group's members and meetings) gives the second its own parameter, so each is
paged on its own and its links keep the other's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAMETER = "strana"
PAGE_SIZE = 50


@dataclass(frozen=True)
class Paging:
    """A page of a list and the address of the list without the page number (its filters),
    as ``portal/_pagination.html`` and ``portal/_page_title.html`` read them."""

    page: Page[Any]
    query_string: str
    parameter: str = PAGE_PARAMETER


def list_page(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    *,
    per_page: int | None = None,
    count: int | None = None,
    parameter: str = PAGE_PARAMETER,
) -> Paging:
    """The page of ``items`` the request asks for (two queries for a queryset: its count and
    the page's rows), with the request's other parameters to keep in the page links.

    ``count``, when the caller has counted ``items`` already (the stack's totals do), spares
    the count query: a search scans every row, so one scan fewer is a third of the time.
    ``parameter`` names the page number in the address (``strana`` unless the page has two
    lists)."""
    paginator = Paginator(items, per_page or PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    page = paginator.get_page(request.GET.get(parameter))
    query = request.GET.copy()
    query.pop(parameter, None)
    return Paging(page=page, query_string=query.urlencode(), parameter=parameter)
