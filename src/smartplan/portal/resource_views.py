"""The public resource database (Databáze zdrojů SMART)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.resource_forms import ResourceFilterForm
from smartplan.portal.selectors_resources import resource_rows

PAGE_SIZE = 50


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
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("strana"))
    query = request.GET.copy()
    query.pop("strana", None)
    filtered = any((data.get("area"), data.get("flagship"), (data.get("q") or "").strip()))
    return render(
        request,
        "portal/resources.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "filtered": filtered,
            "query_string": query.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
