"""What every public page's frame shows: the published plans (the plan switcher), the plan's
navigation with the current page marked, the breadcrumb trail and the language switcher.

Reads only: one query for the published plans, none for the rest. Private plans
(``Plan.published`` false) appear nowhere here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smartplan.plans.models import Plan
from smartplan.portal.money_year import YEAR_KEEPING_PAGES, YEAR_PAGES, year_query


def published_plans() -> QuerySet[Plan]:
    """The plans the public may see, newest period first, with their owners."""
    return (
        Plan.objects.filter(published=True).select_related("owner").order_by("-period_from", "name")
    )


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    # "page" on the page itself, "true" on a page inside its section, "" elsewhere.
    current: str


# The plan's pages in the main navigation: (URL name, label, the URL names of the pages
# inside that section).
PLAN_SECTIONS: tuple[tuple[str, Promise, tuple[str, ...]], ...] = (
    ("plan", _("Overview"), ()),
    ("projects", _("Flagship projects"), ("project",)),
    ("indicators", _("Indicators"), ("indicator",)),
    ("stack", _("Project stack"), ()),
    ("resources", _("Resources"), ()),
    ("steering_group", _("Steering group"), ()),
    ("reports", _("Reports"), ()),
    ("opendata", _("Open data"), ("dataset",)),
)


def _url_name(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "portal":
        return ""
    return str(match.url_name)


def plan_section_url(*, plan: Plan, name: str, request: HttpRequest | None) -> str:
    """The address of one of the plan's pages (in the current language, as every
    ``reverse`` here), keeping the visitor's year (``?rok=``) where that page shows one and
    the current page is one of those (see portal/money_year.py)."""
    url = reverse(f"portal:{name}", args=[plan.slug])
    if name in YEAR_PAGES and _url_name(request) in YEAR_KEEPING_PAGES:
        url += year_query(plan=plan, request=request)
    return url


def plan_nav(*, plan: Plan, request: HttpRequest | None) -> list[NavItem]:
    """The plan's sections, the current one marked (``aria-current``)."""
    here = _url_name(request)
    items = []
    for name, label, inside in PLAN_SECTIONS:
        current = "page" if here == name else "true" if here in inside else ""
        url = plan_section_url(plan=plan, name=name, request=request)
        items.append(NavItem(label, url, current))
    return items


@dataclass(frozen=True)
class Crumb:
    label: str | Promise
    url: str


def breadcrumb_trail(*, plan: Plan | None, request: HttpRequest | None) -> list[Crumb]:
    """The way up from the current page: home, the plan (below its overview), the section
    (on a detail page). Empty on the home page."""
    here = _url_name(request)
    if not here or here == "home":
        return []
    trail = [Crumb(_("Home"), reverse("portal:home"))]
    if plan is None or here == "plan":
        return trail
    trail.append(Crumb(plan.name, plan_section_url(plan=plan, name="plan", request=request)))
    for name, label, inside in PLAN_SECTIONS:
        if here in inside:
            trail.append(Crumb(label, plan_section_url(plan=plan, name=name, request=request)))
    return trail


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


# Each language named in itself, as language switchers do.
LANGUAGE_NAMES = {"cs": "Čeština", "en": "English"}


def language_links(request: HttpRequest | None) -> list[LanguageLink]:
    """The same page in each language (Czech without a prefix, English under ``/en/``);
    the query string is kept. An address that has no counterpart leads to the home page."""
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            url = translate_url(reverse("portal:home"), code)
        links.append(LanguageLink(code, LANGUAGE_NAMES.get(code, code), url, code == current))
    return links
