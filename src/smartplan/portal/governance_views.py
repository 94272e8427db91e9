"""The public page of the plan's steering group."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.http_cache import portal_cache
from smartplan.portal.paging import list_page
from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_governance import (
    member_rows,
    steering_group_meetings,
    steering_group_seats,
)

# Meetings carry their minutes and decisions: a page of them is long enough.
MEETINGS_PER_PAGE = 10
# The members are paged on their own (a national plan's group has hundreds of seats): their
# page number has its own name, so the meetings keep ``?strana=`` and each list keeps the
# other's page in its links.
MEMBERS_PAGE_PARAMETER = "clenove"


@portal_cache()
def steering_group(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    members = list_page(request, steering_group_seats(plan=plan), parameter=MEMBERS_PAGE_PARAMETER)
    paging = list_page(request, steering_group_meetings(plan=plan), per_page=MEETINGS_PER_PAGE)
    return render(
        request,
        "portal/steering_group.html",
        {
            "plan": plan,
            "members": member_rows(members.page.object_list),
            "members_paging": members,
            "meetings": paging.page.object_list,
            "page": paging.page,
            "query_string": paging.query_string,
        },
    )
