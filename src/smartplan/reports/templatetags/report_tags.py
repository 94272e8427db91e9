"""Template filters for reports."""

from __future__ import annotations

from typing import Any

from django import template

from smartplan.monitoring.models import Status
from smartplan.projects.models import split_points

register = template.Library()


@register.filter
def points(text: str) -> list[str]:
    return split_points(text or "")


@register.filter
def status_label(status: str) -> str:
    return str(Status(status).label)


@register.filter
def goal_names(obj: Any) -> str:
    return " / ".join(goal.name.upper() for goal in obj.strategic_goals.all())


@register.filter
def names(items: Any) -> str:
    return ", ".join(str(item) for item in items.all())


@register.filter
def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
