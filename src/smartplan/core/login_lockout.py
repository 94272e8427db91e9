"""How django-axes sees a client and what a locked-out login gets.

Axes counts failed logins per account and per client address (``client_address``;
settings: SMARTPLAN_LOGIN_FAILURES, SMARTPLAN_LOGIN_COOLOFF_MINUTES). A locked login is
refused with ``lockout_response``, a Czech page with HTTP 429 (Too Many Requests), until
the cool-off ends or an administrator unlocks it (``smartplan axes_reset_username NAME``,
``smartplan axes_reset_ip ADDRESS``).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_STATUS = 429


def client_address(request: HttpRequest) -> str:
    """The address failures are counted by: behind a reverse proxy (BEHIND_PROXY) the one
    the proxy appended last to X-Forwarded-For (earlier entries come from the client and
    can be forged); otherwise the connection's own address."""
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The lockout page, saying how long the cool-off lasts."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = math.ceil(cooloff.total_seconds() / 60) if cooloff else 0
    return render(request, "core/lockout.html", {"minutes": minutes}, status=LOCKED_STATUS)
