"""The public resource database (Databáze zdrojů SMART)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.http_cache import portal_cache
from smartplan.portal.paging import list_page
from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.resource_forms import ResourceFilterForm
from smartplan.portal.selectors_resources import resource_rows


@portal_cache()
def resources(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    form = ResourceFilterForm(request.GET or None, plan=plan)
    if form.is_bound:
        form.is_valid()
    form.mark_errors()
    data = getattr(form, "cleaned_data", {})
    rows = resource_rows(
        plan=plan,
        area=data.get("area"),
        flagship=data.get("flagship"),
        query=data.get("q") or "",
    )
    paging = list_page(request, rows)
    filtered = any((data.get("area"), data.get("flagship"), (data.get("q") or "").strip()))
    return render(
        request,
        "portal/resources.html",
        {
            "plan": plan,
            "form": form,
            "page": paging.page,
            "filtered": filtered,
            "query_string": paging.query_string,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
