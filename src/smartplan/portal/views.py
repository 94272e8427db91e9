"""Public portal views (groundwork: the plan list and a plan's page; the helpers fill them)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.accessibility import accessibility_statement
from smartplan.portal.http_cache import portal_cache
from smartplan.portal.shell import published_plans


@portal_cache(plan=False)  # the page lists every plan: its stamp follows them all
def home(request: HttpRequest) -> HttpResponse:
    """The published plans (the plan switcher's landing); with one plan, a link straight to it."""
    plans = list(published_plans())
    return render(request, "portal/home.html", {"plans": plans, "published_plans": plans})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (Act 99/2019 Sb.), see portal/accessibility.py."""
    return render(request, "portal/accessibility.html", {"statement": accessibility_statement()})


def not_built(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """A page of the URL contract that is not built yet."""
    raise Http404
