"""The portal's long lists come in pages: the same number of queries and at most a page of
rows whatever the plan's size, and page links a screen reader and a filter survive."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.plans.models import Plan
from smartplan.portal import governance_views, paging
from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.projects.models import FlagshipProject
from smartplan.projects.selectors import plan_money
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

PAGE = 4  # small pages, so the demo-sized plan has several of each list

# (list, address after the plan, how a row of it is marked in the page)
LISTS = [
    ("overview", "", r'<tr data-project="\d+"'),
    ("projects", "projekty/", r'<th scope="row"><a href="/[^"]+/projekty/\d+/"'),
    ("projects p.2", "projekty/?strana=2", r'<th scope="row"><a href="/[^"]+/projekty/\d+/"'),
    ("indicators", "indikatory/", r"<tr data-indicator="),
    ("indicators p.2", "indikatory/?strana=2", r"<tr data-indicator="),
    ("stack", "zasobnik/?sort=-finance", r'<tr>\s*<th scope="row">\d+</th>'),
    ("stack p.2", "zasobnik/?status=&strana=2", r'<tr>\s*<th scope="row">\d+</th>'),
    ("resources", "zdroje/", r'<li>\s*<h3><a href="'),
    ("resources p.2", "zdroje/?area=&strana=2", r'<li>\s*<h3><a href="'),
    ("steering group", "ridici-skupina/", r'<article class="meeting"'),
    ("steering group members", "ridici-skupina/", r"<tr data-member>"),
    ("members p.2", "ridici-skupina/?clenove=2&strana=2", ""),  # 3 of 7 at 1x
]


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(governance_views, "MEETINGS_PER_PAGE", 1)


def _measure(plan: Plan) -> tuple[list[int], list[int]]:
    """Queries and rows shown of each list, rendered (the page cache emptied first)."""
    client = Client()
    counts, rows = [], []
    for name, tail, row_pattern in LISTS:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/{plan.slug}/{tail}")
        assert response.status_code == 200, name
        counts.append(len(queries))
        if row_pattern:
            rows.append(len(re.findall(row_pattern, response.content.decode())))
    return counts, rows


def test_list_queries_and_rows_do_not_grow_with_the_plan(small_pages: None) -> None:
    small = synthetic_plans_generate(plans=1, scale=1, seed=41, measurements_per_sub=2)[0].plan
    big = synthetic_plans_generate(plans=1, scale=3, seed=42, measurements_per_sub=4)[0].plan
    assert (
        StackItem.objects.filter(plan=big).count()
        >= 3 * StackItem.objects.filter(plan=small).count()
        > 3 * PAGE
    )
    small_counts, small_rows = _measure(small)
    big_counts, big_rows = _measure(big)
    print("queries per list page, 1x and 3x:", small_counts, big_counts)
    assert small_counts == big_counts
    assert max(big_counts) <= 12
    # a page of rows, not the plan's every row
    assert small_rows == big_rows
    assert set(big_rows) == {PAGE, 1}  # meetings: one a page here


def _nav(html: str) -> str:
    found = re.search(r'<nav class="pagination" aria-label="Stránky">.*?</nav>', html, re.S)
    assert found is not None, "no pagination"
    return found.group(0)


def test_page_links_keep_the_filters_and_say_where_the_visitor_is(
    client: Client, demo_plan: Plan, small_pages: None
) -> None:
    items = StackItem.objects.filter(plan=demo_plan, finance_mil__isnull=False).count()
    assert items > 2 * PAGE
    html = client.get(f"/{demo_plan.slug}/zasobnik/", {"sort": "-finance", "strana": "2"}).text
    nav = _nav(html)
    assert '<span aria-current="page">2</span>' in nav
    previous = re.search(r'<a href="([^"]+)" rel="prev">Předchozí stránka</a>', nav)
    following = re.search(r'<a href="([^"]+)" rel="next">Další stránka</a>', nav)
    assert previous is not None
    assert following is not None
    assert previous.group(1) == "?sort=-finance&amp;strana=1"
    assert following.group(1) == "?sort=-finance&amp;strana=3"
    pages = -(-StackItem.objects.filter(plan=demo_plan).count() // PAGE)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert title.group(1).startswith(f"Zásobník projektů – strana 2 z {pages} – ")
    # the page shown is the second of the costliest first
    costliest = list(
        StackItem.objects.filter(plan=demo_plan)
        .order_by(F("finance_mil").desc(nulls_last=True), "number")
        .values_list("number", flat=True)[PAGE : 2 * PAGE]
    )
    shown = re.findall(r'<tr>\s*<th scope="row">(\d+)</th>', html)
    assert shown == [str(number) for number in costliest]


def test_the_project_list_pages_with_the_plan_totals(
    client: Client, demo_plan: Plan, small_pages: None
) -> None:
    count = FlagshipProject.objects.filter(plan=demo_plan).count()
    assert count > PAGE
    first = client.get(f"/{demo_plan.slug}/projekty/").text
    assert f"Akční plán vymezuje {count} vlajkových projektů" in " ".join(first.split())
    nav = _nav(first)
    assert '<span aria-current="page">1</span>' in nav
    assert 'rel="prev"' not in nav
    assert '<a href="?strana=2" rel="next">Další stránka</a>' in nav
    assert '<a href="?strana=2" aria-label="Stránka 2">2</a>' in nav
    money = plan_money(plan=demo_plan, year=2026)
    second = client.get(f"/{demo_plan.slug}/projekty/", {"strana": "2"}).text
    numbers = re.findall(r'<td>(\d+)</td>\s*<th scope="row"><a href="/[^"]+/projekty/', second)
    assert numbers == [str(n) for n in range(PAGE + 1, min(count, 2 * PAGE) + 1)]
    assert "Všechny projekty plánu celkem" in second  # the footer still adds up all of them
    assert len(money.projects) == count


def test_english_pages_keep_their_language(
    client: Client, demo_plan: Plan, small_pages: None
) -> None:
    html = client.get(f"/en/{demo_plan.slug}/indikatory/", {"strana": "2"}).text
    nav = re.search(r'<nav class="pagination" aria-label="Pages">.*?</nav>', html, re.S)
    assert nav is not None
    # relative links: the /en/ path, and so the language, stays
    assert '<a href="?strana=1" rel="prev">Previous page</a>' in nav.group(0)
    assert re.search(r"<title>Indicators – page 2 of \d+ – ", html)


@pytest.mark.parametrize("asked", ["999", "-1", "0"])
def test_a_page_beyond_the_list_shows_the_last(
    client: Client, demo_plan: Plan, small_pages: None, asked: str
) -> None:
    response = client.get(f"/{demo_plan.slug}/indikatory/", {"strana": asked})
    assert response.status_code == 200
    pages = response.context["page"].paginator.num_pages
    assert pages > 1
    assert f'<span aria-current="page">{pages}</span>' in _nav(response.text)


@pytest.mark.parametrize("asked", ["abc", "2.5", "1e3", ""])
def test_a_page_that_is_not_a_number_shows_the_first(
    client: Client, demo_plan: Plan, small_pages: None, asked: str
) -> None:
    response = client.get(f"/{demo_plan.slug}/projekty/", {"strana": asked})
    assert response.status_code == 200
    assert '<span aria-current="page">1</span>' in _nav(response.text)


def test_overview_lists_the_first_page_of_projects_and_links_the_rest(
    client: Client, demo_plan: Plan, small_pages: None
) -> None:
    count = FlagshipProject.objects.filter(plan=demo_plan).count()
    html = client.get(f"/{demo_plan.slug}/").text
    assert len(re.findall(r'<tr data-project="\d+"', html)) == PAGE
    more = re.search(r'<tr data-project="more"><td colspan="4"><a href="([^"]+)">([^<]+)', html)
    assert more is not None
    assert more.group(1) == f"/{demo_plan.slug}/projekty/?strana=2"
    assert count - PAGE >= 5  # the Czech plural of five and more
    assert more.group(2) == (
        f"Dalších {count - PAGE} vlajkových projektů: jejich peníze jsou v seznamu projektů"
    )


@pytest.mark.parametrize(
    "tail", ["projekty/?strana=2", "indikatory/?strana=2", "zasobnik/?strana=2", "ridici-skupina/"]
)
def test_an_unpublished_plan_has_no_pages(client: Client, demo_plan: Plan, tail: str) -> None:
    demo_plan.published = False
    demo_plan.save(update_fields=["published"])
    assert client.get(f"/{demo_plan.slug}/{tail}").status_code == 404


def test_a_plan_lists_only_its_own_rows(client: Client, demo_plan: Plan) -> None:
    other = synthetic_plans_generate(plans=1, scale=1, seed=43, measurements_per_sub=1)[0].plan
    FlagshipProject.objects.filter(plan=other, number=1).update(name="Projekt jiného plánu")
    StackItem.objects.filter(plan=other).update(name="Záměr jiného plánu")
    for tail in ("", "projekty/", "zasobnik/", "indikatory/"):
        html = client.get(f"/{demo_plan.slug}/{tail}").text
        assert "jiného plánu" not in html, tail


def test_a_long_list_links_its_ends_and_neighbours_and_marks_the_gaps(
    client: Client, demo_plan: Plan, small_pages: None
) -> None:
    pages = -(-StackItem.objects.filter(plan=demo_plan).count() // PAGE)
    assert pages >= 10
    nav = _nav(client.get(f"/{demo_plan.slug}/zasobnik/", {"strana": "6"}).text)
    shown = re.findall(r'<li(?: aria-hidden="true")?>(?:<a [^>]*>|<span [^>]*>)?([^<]+)<', nav)
    assert shown == [
        "Předchozí stránka",
        "1",
        "…",
        "4",
        "5",
        "6",
        "7",
        "8",
        "…",
        str(pages),
        "Další stránka",
    ]
    assert nav.count('<li aria-hidden="true">…</li>') == 2
