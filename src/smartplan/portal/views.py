"""Public portal views (groundwork: the plan list and a plan's page; the helpers fill them)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.plans.models import Plan
from smartplan.portal.shell import published_plans


def home(request: HttpRequest) -> HttpResponse:
    """The published plans (the plan switcher's landing); with one plan, a link straight to it."""
    plans = list(published_plans())
    return render(request, "portal/home.html", {"plans": plans})


def not_built(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """A page of the URL contract that is not built yet."""
    raise Http404
