"""smartplan's URLs and ``/bench-floor/``: a fixed string for a logged-in user (see
bench_floor_site.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from smartplan.urls import urlpatterns as smartplan_urls


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Akční plán chytrého regionu", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench-floor/", floor), *smartplan_urls]
