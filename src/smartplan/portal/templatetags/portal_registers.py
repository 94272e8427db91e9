"""Template helpers of the portal's register pages (projects, stack, resources, …)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_money
from smartplan.projects.models import split_points

register = template.Library()


@register.filter
def points(text: str) -> list[str]:
    """A text of points (paragraphs separated by a blank line) as a list."""
    return split_points(text or "")


@register.simple_tag
def spent_cell(row: object, year: int) -> SafeString:
    """One year of an activity: the money spent, and whether the year is planned for it."""
    planned = year in getattr(row, "years", [])
    spent: Decimal | None = row.spent_in(year)  # type: ignore[attr-defined]
    figure = format_money(spent) if spent is not None else "–"
    if planned:
        return format_html(
            '<td class="num planned-year">{} <span class="marker">({})</span></td>',
            figure,
            _("planned"),
        )
    return format_html('<td class="num">{}</td>', figure)


@register.simple_tag
def year_total(by_year: dict[int, Decimal], year: int) -> str:
    return format_money(by_year.get(year, Decimal(0)))
