"""Template helpers: a progress figure that can show how it was computed, status labels."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from smartplan.core.czech_format import format_number
from smartplan.monitoring.models import Status

register = template.Library()


@register.filter
def percent(share: Decimal | None) -> str:
    if share is None:
        return "–"
    return f"{format_number(share * 100, max_decimals=1)}\xa0%"


@register.simple_tag
def status_badge(status: str) -> SafeString:
    return format_html('<span class="status status-{}">{}</span>', status, Status(status).label)


@register.simple_tag
def progress_figure(summary: Any) -> SafeString:
    """The progress with a disclosure that explains the computation (no JavaScript needed)."""
    return format_html(
        "<details><summary>{}</summary><p>{}</p></details>",
        percent(summary.progress),
        summary.explanation,
    )
