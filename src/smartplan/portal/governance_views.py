"""The public page of the plan's steering group."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_governance import steering_group_meetings, steering_group_members


def steering_group(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    return render(
        request,
        "portal/steering_group.html",
        {
            "plan": plan,
            "members": steering_group_members(plan=plan),
            "meetings": steering_group_meetings(plan=plan),
        },
    )
