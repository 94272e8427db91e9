"""Uploads are size-limited before anything reads them.

``UploadLimitMiddleware`` looks only at the request's Content-Length header: a body larger
than ``settings.UPLOAD_MAX_BYTES`` (SMARTPLAN_UPLOAD_MAX_MB) is refused with HTTP 413 and a
Czech message before Django parses a byte of it, on every page (workbook and CSV imports in
the editing interface, values in Moje indikátory) and in the API (as an RFC 9457 problem).
The WSGI server never hands Django more than Content-Length bytes, so the header cannot
understate the body.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

TOO_LARGE_STATUS = 413
API_PREFIX = "/api/"


def content_length(request: HttpRequest) -> int:
    """The declared body size; 0 when missing or unreadable (Django then reads nothing)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large_message() -> str:
    limit_mb = settings.UPLOAD_MAX_BYTES / (1024 * 1024)
    return gettext(
        "The upload is too large: at most %(limit)s MB can be sent at once. "
        "Split the file or leave out what is not needed, and send it again."
    ) % {"limit": f"{limit_mb:g}".replace(".", ",")}


def too_large_response(request: HttpRequest) -> HttpResponse:
    """413 for a browser (a page) or for the API (problem details)."""
    message = too_large_message()
    if request.path.startswith(API_PREFIX):
        problem = {
            "type": "about:blank",
            "title": gettext("Request too large"),
            "status": TOO_LARGE_STATUS,
            "detail": message,
        }
        return HttpResponse(
            json.dumps(problem, ensure_ascii=False),
            status=TOO_LARGE_STATUS,
            content_type="application/problem+json",
        )
    page = render_to_string("core/upload_too_large.html", {"message": message}, request=request)
    return HttpResponse(page, status=TOO_LARGE_STATUS)


class UploadLimitMiddleware:
    """Refuses a request whose declared body exceeds the upload limit, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if content_length(request) > settings.UPLOAD_MAX_BYTES:
            return too_large_response(request)
        return self.get_response(request)
