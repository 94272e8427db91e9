"""The public pages of flagship projects: the list and a project's card."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_projects import project_card, project_list


def projects(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    listing = project_list(plan=plan, today=timezone.localdate())
    return render(request, "portal/projects.html", {"plan": plan, "listing": listing})


def project(request: HttpRequest, plan_slug: str, code: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    card = project_card(plan=plan, number=code, today=timezone.localdate())
    return render(request, "portal/project.html", {"plan": plan, "card": card})
