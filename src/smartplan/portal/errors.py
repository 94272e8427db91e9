"""Error pages in the portal's look, in the language of the address (Czech, English under
``/en/``): ``handler404`` and ``handler500`` of smartplan.urls. The API keeps Django's plain
answers (its own errors are problem documents, api/problems)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.views import defaults

log = logging.getLogger(__name__)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    return render(request, "portal/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Reads nothing from the database (it may be what failed)."""
    if request.path.startswith("/api/"):
        return defaults.server_error(request)
    try:
        return render(request, "portal/500.html", {"shell_static": True}, status=500)
    except Exception:  # the page about an error must not fail itself
        log.exception("The error page could not be rendered")
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang='cs'><title>Chyba serveru</title>"
            "<h1>Chyba serveru (500)</h1><p>Zkuste to prosím později.</p></html>"
        )
