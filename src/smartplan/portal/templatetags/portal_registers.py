"""Template helpers of the portal's register pages (projects, stack, resources, …)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.core.paginator import Page
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


@register.filter
def page_links(page: Page[Any]) -> list[int | str]:
    """The page numbers a list's navigation links: the first, the last and two either side
    of the current page, with ``…`` (Paginator.ELLIPSIS) where numbers are left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
