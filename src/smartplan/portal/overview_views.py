"""The public overview of a plan (``/<plan>/``): vision, goals, progress, money, changes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from smartplan.plans.models import Plan
from smartplan.portal.http_cache import portal_cache


@portal_cache()
def plan_overview(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=plan_slug, published=True)
    return render(request, "portal/plan.html", {"plan": plan})
