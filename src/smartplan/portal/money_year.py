"""The year whose spending the overview and the project list show (``?rok=``).

Both pages show "spent in <year>" beside the totals; the visitor picks the year on either,
and the links between the two pages and the project cards they list (the overview's link to
the rest of the projects, the plan's navigation, the breadcrumb, the page links, a card and
the way back from it) carry it, so the figures on the next page are of the same year. A year
outside the plan's period, or not a number, counts as not chosen.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from smartplan.plans.models import Plan

YEAR_PARAMETER = "rok"
# The portal pages (URL names) that show a year's spending and so read ``?rok=``.
YEAR_PAGES = frozenset({"plan", "projects"})
# The pages whose links to those pages keep the year: those pages and a project's card,
# which shows every year but is reached from them and leads back (breadcrumb, navigation).
YEAR_KEEPING_PAGES = YEAR_PAGES | {"project"}


def chosen_year(*, plan: Plan, asked: str | None) -> int | None:
    """The year the visitor asked for, if it is one of the plan's years."""
    if asked and asked.isdigit() and plan.period_from <= int(asked) <= plan.period_to:
        return int(asked)
    return None


def money_year(*, plan: Plan, today: dt.date, asked: str | None = None) -> int:
    """The year asked for if within the plan, else this year kept within the plan's period
    (a finished plan shows its last year)."""
    chosen = chosen_year(plan=plan, asked=asked)
    if chosen is not None:
        return chosen
    return min(max(today.year, plan.period_from), plan.period_to)


def year_query(*, plan: Plan, request: HttpRequest | None) -> str:
    """``?rok=<year>`` when the request chose one of the plan's years, else "": what a link
    from a page of :data:`YEAR_KEEPING_PAGES` to another appends to keep the visitor's year."""
    if request is None:
        return ""
    chosen = chosen_year(plan=plan, asked=request.GET.get(YEAR_PARAMETER))
    return f"?{YEAR_PARAMETER}={chosen}" if chosen is not None else ""
