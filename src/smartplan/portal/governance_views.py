"""The public page of the plan's steering group."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.http_cache import portal_cache
from smartplan.portal.paging import list_page
from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_governance import steering_group_meetings, steering_group_members

# Meetings carry their minutes and decisions: a page of them is long enough.
MEETINGS_PER_PAGE = 10


@portal_cache()
def steering_group(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    paging = list_page(request, steering_group_meetings(plan=plan), per_page=MEETINGS_PER_PAGE)
    return render(
        request,
        "portal/steering_group.html",
        {
            "plan": plan,
            "members": steering_group_members(plan=plan),
            "meetings": paging.page.object_list,
            "page": paging.page,
            "query_string": paging.query_string,
        },
    )
