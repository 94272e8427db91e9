"""The year the visitor chose on the overview (``?rok=``) stays with them: the links a visitor
follows between the overview and the project list (the link to the rest of the projects, the
plan's navigation, the breadcrumb, the page links) keep it, and keep the language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from smartplan.plans.models import Plan
from smartplan.portal import paging
from smartplan.portal.tests.czech_default import czech_default  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = 4


class _Links(HTMLParser):
    """Every link of a page: (its text, its address), in the page's order."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[list[str], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append(([], dict(attrs).get("href") or ""))

    def handle_data(self, data: str) -> None:
        for text, _href in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            text, href = self._open.pop()
            self.links.append((" ".join("".join(text).split()), href))


class Visitor:
    """A visitor who reads a page and follows a link by its text, as a person would."""

    def __init__(self) -> None:
        self.client = Client()
        self.url = ""
        self.html = ""

    def open(self, url: str) -> Visitor:
        response = self.client.get(url)
        assert response.status_code == 200, url
        self.url, self.html = url, response.content.decode()
        return self

    def follow(self, text: str, *, inside: str = "") -> Visitor:
        """Follow the first link whose text starts with ``text`` (within the element that
        ``inside``, a regular expression, matches, when given)."""
        html = self.html
        if inside:
            found = re.search(inside, html, re.S)
            assert found is not None, f"{inside} not on {self.url}"
            html = found.group(0)
        parser = _Links()
        parser.feed(html)
        for label, href in parser.links:
            if label.startswith(text):
                href = href.replace("&amp;", "&")
                base = self.url.partition("?")[0]
                return self.open(base + href if href.startswith("?") else href)
        raise AssertionError(f"no link {text!r} on {self.url}")

    @property
    def shown_year(self) -> str:
        """The year marked as shown in the page's year navigation."""
        found = re.search(r'<a href="\?rok=(\d+)" aria-current="page">', self.html)
        assert found is not None, f"no year marked on {self.url}"
        return found.group(1)


NAV = r'<nav class="sp-nav".*?</nav>'
CRUMBS = r'<nav class="gov-breadcrumbs".*?</nav>'
PAGES = r'<nav class="pagination".*?</nav>'


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", PAGE)


def test_the_chosen_year_goes_with_the_visitor_to_the_project_list_and_back(
    demo_plan: Plan, small_pages: None
) -> None:
    default = min(demo_plan.period_to, max(demo_plan.period_from, 2026))
    year = next(y for y in demo_plan.years if y != default)
    visitor = Visitor().open(f"/{demo_plan.slug}/")
    assert visitor.shown_year == str(default)
    visitor.follow(str(year), inside=r'<nav aria-label="Rok výdajů">.*?</nav>')
    assert visitor.shown_year == str(year)
    # the overview's link to the rest of the projects: their second page, of that year
    visitor.follow("Dalších ")
    assert visitor.url == f"/{demo_plan.slug}/projekty/?rok={year}&strana=2"
    assert visitor.shown_year == str(year)
    assert f"Vynaloženo v roce {year}" in visitor.html
    assert '<span aria-current="page">2</span>' in visitor.html
    visitor.follow("Další stránka", inside=PAGES)
    assert visitor.url.endswith(f"/projekty/?rok={year}&strana=3")
    assert f"Vynaloženo v roce {year}" in visitor.html
    # back to the overview by the breadcrumb, the navigation and the plan's name on top
    for text, inside in (
        (demo_plan.name, CRUMBS),
        ("Přehled", NAV),
        (demo_plan.name, r'<a class="sp-brand".*?</a>'),
    ):
        visitor.open(f"/{demo_plan.slug}/projekty/?rok={year}&strana=2")
        visitor.follow(text, inside=inside)
        assert visitor.url == f"/{demo_plan.slug}/?rok={year}"
        assert visitor.shown_year == str(year)
    # and from the overview to the project list by the navigation
    visitor.follow("Vlajkové projekty", inside=NAV)
    assert visitor.url == f"/{demo_plan.slug}/projekty/?rok={year}"
    assert visitor.shown_year == str(year)


def test_the_english_visitor_keeps_the_language_and_the_year(
    demo_plan: Plan, small_pages: None
) -> None:
    year = demo_plan.period_from
    visitor = Visitor().open(f"/en/{demo_plan.slug}/?rok={year}")
    # "N more flagship projects: their money is on the project list"
    visitor.follow("", inside=r'<tr data-project="more">.*?</tr>')
    assert visitor.url == f"/en/{demo_plan.slug}/projekty/?rok={year}&strana=2"
    assert f"Spent in {year}" in visitor.html
    visitor.follow("Next page", inside=PAGES)
    assert visitor.url == f"/en/{demo_plan.slug}/projekty/?rok={year}&strana=3"
    visitor.follow("Overview", inside=NAV)
    assert visitor.url == f"/en/{demo_plan.slug}/?rok={year}"
    assert visitor.shown_year == str(year)
    # the language switcher keeps the year too
    visitor.follow("Čeština")
    assert visitor.url == f"/{demo_plan.slug}/?rok={year}"
    assert visitor.shown_year == str(year)


def test_the_project_list_shows_the_year_the_overview_does_when_none_is_chosen(
    demo_plan: Plan, small_pages: None
) -> None:
    """A finished plan shows its last year on both pages, not this calendar year."""
    visitor = Visitor().open(f"/{demo_plan.slug}/")
    year = visitor.shown_year
    visitor.follow("Dalších ")
    assert visitor.url == f"/{demo_plan.slug}/projekty/?strana=2"
    assert visitor.shown_year == year
    assert f"Vynaloženo v roce {year}" in visitor.html


@pytest.mark.parametrize("asked", ["1999", "abc", ""])
def test_a_year_outside_the_plan_is_not_carried(
    demo_plan: Plan, small_pages: None, asked: str
) -> None:
    visitor = Visitor().open(f"/{demo_plan.slug}/?rok={asked}")
    visitor.follow("Vlajkové projekty", inside=NAV)
    assert visitor.url == f"/{demo_plan.slug}/projekty/"


def test_pages_without_a_year_do_not_get_one(demo_plan: Plan) -> None:
    year = demo_plan.period_from
    visitor = Visitor().open(f"/{demo_plan.slug}/?rok={year}")
    visitor.follow("Indikátory", inside=NAV)
    assert visitor.url == f"/{demo_plan.slug}/indikatory/"
    # and from there, the overview is the default one again
    visitor.follow("Přehled", inside=NAV)
    assert visitor.url == f"/{demo_plan.slug}/"


def test_a_project_card_passes_the_year_on_to_the_way_back(demo_plan: Plan) -> None:
    """The card shows every year; reached from the overview of one year, its breadcrumb and
    navigation lead back to that year."""
    year = demo_plan.period_from
    visitor = Visitor().open(f"/{demo_plan.slug}/?rok={year}")
    visitor.follow("", inside=r'<tr data-project="1">.*?</tr>')
    assert visitor.url == f"/{demo_plan.slug}/projekty/1/?rok={year}"
    visitor.follow("Vlajkové projekty", inside=CRUMBS)
    assert visitor.url == f"/{demo_plan.slug}/projekty/?rok={year}"
    assert visitor.shown_year == str(year)
    visitor.follow("", inside=r'<th scope="row"><a href="[^"]+/projekty/1/.*?</a>')
    assert visitor.url == f"/{demo_plan.slug}/projekty/1/?rok={year}"
    visitor.follow("Přehled", inside=NAV)
    assert visitor.url == f"/{demo_plan.slug}/?rok={year}"
    assert visitor.shown_year == str(year)
    # a card reached without a year leads back without one
    visitor.open(f"/{demo_plan.slug}/projekty/1/").follow("Vlajkové projekty", inside=CRUMBS)
    assert visitor.url == f"/{demo_plan.slug}/projekty/"
