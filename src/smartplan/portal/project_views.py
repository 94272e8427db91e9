"""The public pages of flagship projects: the list and a project's card."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from smartplan.portal.http_cache import portal_cache
from smartplan.portal.money_year import YEAR_PARAMETER, money_year, year_query
from smartplan.portal.paging import list_page
from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_projects import project_card, project_list, project_rows


@portal_cache()
def projects(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    asked = request.GET.get(YEAR_PARAMETER)
    year = money_year(plan=plan, today=timezone.localdate(), asked=asked)
    listing = project_list(plan=plan, year=year)
    paging = list_page(request, listing.projects)
    rows = project_rows(plan=plan, projects=paging.page.object_list, money=listing.money)
    return render(
        request,
        "portal/projects.html",
        {
            "plan": plan,
            "listing": listing,
            "rows": rows,
            "page": paging.page,
            "query_string": paging.query_string,
            "years": list(plan.years),
            "year_query": year_query(plan=plan, request=request),  # on links to the cards
        },
    )


@portal_cache()
def project(request: HttpRequest, plan_slug: str, code: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    card = project_card(plan=plan, number=code, today=timezone.localdate())
    return render(request, "portal/project.html", {"plan": plan, "card": card})
