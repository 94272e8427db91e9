"""Template tags of the public portal's frame (``portal/base.html``); see portal/shell.py."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import QuerySet

from smartplan.plans.models import Plan
from smartplan.portal import shell

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_published_plans(context: dict[str, Any]) -> QuerySet[Plan] | list[Plan]:
    """The published plans: the view's list when it passed one (``published_plans``)."""
    given: list[Plan] | None = context.get("published_plans")
    return given if given is not None else shell.published_plans()


@register.simple_tag(takes_context=True)
def portal_plan_nav(context: dict[str, Any], plan: Plan) -> list[shell.NavItem]:
    return shell.plan_nav(plan=plan, request=context.get("request"))


@register.simple_tag(takes_context=True)
def portal_breadcrumbs(context: dict[str, Any], plan: object) -> list[shell.Crumb]:
    """``plan`` is the page's plan, or "" on a page about none (the template's missing value)."""
    return shell.breadcrumb_trail(
        plan=plan if isinstance(plan, Plan) else None, request=context.get("request")
    )


@register.simple_tag(takes_context=True)
def portal_language_links(context: dict[str, Any]) -> list[shell.LanguageLink]:
    return shell.language_links(context.get("request"))


@register.simple_tag(takes_context=True)
def portal_plan_url(context: dict[str, Any], plan: Plan) -> str:
    """The plan's overview, keeping the visitor's year from a page that shows one."""
    return shell.plan_section_url(plan=plan, name="plan", request=context.get("request"))
