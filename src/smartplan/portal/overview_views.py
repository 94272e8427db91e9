"""The public overview of a plan (``/<plan>/``): vision, goals, progress, money, changes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from smartplan.plans.models import Plan
from smartplan.portal.http_cache import portal_cache
from smartplan.portal.money_year import YEAR_PARAMETER, chosen_year, money_year, year_query
from smartplan.portal.selectors_overview import plan_overview as overview_of


@portal_cache()
def plan_overview(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = get_object_or_404(
        Plan.objects.select_related("owner", "coordinator"), slug=plan_slug, published=True
    )
    today = timezone.localdate()
    asked = request.GET.get(YEAR_PARAMETER)
    year = money_year(plan=plan, today=today, asked=asked)
    overview = overview_of(plan=plan, today=today, year=year)
    return render(
        request,
        "portal/plan.html",
        {
            "plan": plan,
            "overview": overview,
            "years": list(plan.years),
            "today": today,
            # the visitor's year, kept in the link to the rest of the projects
            "year_chosen": chosen_year(plan=plan, asked=asked),
            "year_query": year_query(plan=plan, request=request),  # on links to the cards
        },
    )
