"""The public indicator pages: the list (``/<plan>/indikatory/``) and one indicator
(``/<plan>/indikatory/<number>/``) with its sub-indicators' charts, tables and statuses."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from smartplan.plans.models import Plan
from smartplan.portal.http_cache import portal_cache
from smartplan.portal.paging import list_page
from smartplan.portal.selectors_indicators import indicator_detail, indicator_rows
from smartplan.portal.selectors_indicators import indicator_list as indicator_list_of


def _published(plan_slug: str) -> Plan:
    return get_object_or_404(Plan, slug=plan_slug, published=True)


@portal_cache()
def indicator_list(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = _published(plan_slug)
    paging = list_page(request, indicator_list_of(plan=plan))
    return render(
        request,
        "portal/indicator_list.html",
        {
            "plan": plan,
            "rows": indicator_rows(plan=plan, indicators=paging.page.object_list),
            "page": paging.page,
            "query_string": paging.query_string,
        },
    )


@portal_cache()
def indicator_page(request: HttpRequest, plan_slug: str, code: str) -> HttpResponse:
    plan = _published(plan_slug)
    if not code.isdigit() or len(code) > 5:
        raise Http404
    detail = indicator_detail(plan=plan, number=int(code))
    if detail is None:
        raise Http404
    return render(request, "portal/indicator_detail.html", {"plan": plan, "detail": detail})
