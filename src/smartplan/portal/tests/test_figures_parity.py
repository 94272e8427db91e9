"""The portal, the coordinator's dashboard and the annual report show the same figures.

All three pages are rendered and read back as their readers see them (HTML tables, cell by
cell); the demo plan gets a measured value and money spent first, so the figures are not
all zero or "no data".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.current_states import plan_states_current
from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.reports import html_renderer
from smartplan.reports.report_content import report_content
from smartplan.reports.report_data import report_data
from smartplan.reports.services import report_get_or_create

pytestmark = pytest.mark.django_db

YEAR = 2021
# A sub-indicator on the portal's indicator page: its code and what the page says of it.
SUB_PATTERN = r'<h3 id="h-sub-\d+">([^ <]+) [^<]*</h3>(.*?)</article>'


class _Tables(HTMLParser):
    """Every table of a page: its caption and its rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self._rows: list[list[str]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None and self.tables:
            rows = self.tables[-1][1]
            self.tables[-1] = (" ".join("".join(self._caption).split()), rows)
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _tables(html: str) -> list[tuple[str, list[list[str]]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _table(html: str, caption_start: str) -> list[list[str]]:
    found = [rows for caption, rows in _tables(html) if caption.startswith(caption_start)]
    assert found, f"no table '{caption_start}…' in {[c for c, _ in _tables(html)]}"
    return found[0]


def _crowns(text: str) -> Decimal:
    """'1 234 567,5 Kč' -> Decimal('1234567.5'); a range keeps both ends as low..high."""
    number = text.replace("\xa0", " ").replace("Kč", "").replace(" ", "").replace(",", ".")
    return Decimal(number)


def _money_range(text: str) -> tuple[Decimal, Decimal]:
    low, _, high = text.replace("Kč", "").partition("–")
    return _crowns(low), _crowns(high or low)


@pytest.fixture
def figures_plan(demo_plan: Plan) -> Plan:
    """The demo plan with money spent in two years and a measured value."""
    activities = list(Activity.objects.filter(plan=demo_plan).order_by("project__number", "pk"))
    for index, activity in enumerate(activities[:4]):
        ActivityFulfilment.objects.create(
            plan=demo_plan, activity=activity, year=YEAR, spent=Decimal(100_000 * (index + 1))
        )
        ActivityFulfilment.objects.create(
            plan=demo_plan, activity=activity, year=YEAR + 1, spent=Decimal("12345.5")
        )
    sub = SubIndicator.objects.filter(plan=demo_plan, target_value__isnull=False).first()
    assert sub is not None
    Measurement.objects.create(
        plan=demo_plan,
        sub_indicator=sub,
        date=dt.date(YEAR, 6, 30),
        value=(sub.target_value or Decimal(1)) / 2,
        status="final",
    )
    plan_states_current(plan=demo_plan)
    return demo_plan


def _report_html(plan: Plan, year: int) -> str:
    report = report_get_or_create(plan=plan, kind="annual", year=year)
    content = report_content(report_data(report=report))
    return html_renderer.content_document(content).html()


def test_money_is_the_same_on_the_portal_the_dashboard_and_in_the_report(
    figures_plan: Plan, coordinator_client: Client
) -> None:
    portal = Client().get(f"/{figures_plan.slug}/?rok={YEAR}").content.decode()
    portal_rows = _table(portal, "Peníze vlajkových projektů")
    # project -> (planned, spent in YEAR, spent in total) as the portal shows them
    on_portal = {row[0]: row[1:4] for row in portal_rows[1:]}

    dashboard = coordinator_client.get(f"/monitoring/plan/{figures_plan.slug}/").content.decode()
    dashboard_rows = next(
        rows
        for caption, rows in _tables(dashboard)
        if rows and len(rows[0]) == 5 and any("Kč" in cell for row in rows for cell in row)
    )
    on_dashboard = {row[0]: (row[1], row[3]) for row in dashboard_rows[1:]}

    # The report: each project's table ends with its total for the year.
    report = _report_html(figures_plan, YEAR)
    totals = [
        rows[-1][-1]
        for caption, rows in _tables(report)
        if rows and rows[-1] and rows[-1][0] == f"Celkem za rok {YEAR}"
    ]

    assert len(on_portal) == len(on_dashboard) >= 2
    spent_somewhere = 0
    for project, (planned, spent_year, spent_total) in on_portal.items():
        assert (planned, spent_total) == on_dashboard[project], project
        spent_somewhere += _crowns(spent_year) > 0
    assert spent_somewhere >= 2
    projects = [p for p in on_portal if p != "Plán celkem"]
    portal_year = [_crowns(on_portal[p][1]) for p in projects]
    assert [_crowns(t) for t in totals][: len(portal_year)] == portal_year
    # the sums: portal total row = sum of its rows, in both years' figures
    total = on_portal["Plán celkem"]
    assert _crowns(total[1]) == sum(portal_year)
    assert _money_range(total[0])[0] == sum(_money_range(on_portal[p][0])[0] for p in projects)


def test_statuses_are_the_same_on_the_portal_the_dashboard_and_in_the_report(
    figures_plan: Plan, coordinator_client: Client
) -> None:
    year = timezone.localdate().year  # the report as of this year's end: today's states
    portal = Client().get(f"/{figures_plan.slug}/indikatory/").content.decode()
    portal_rows = _tables(portal)[0][1][1:]
    # indicator -> (progress, status) as the portal lists them
    on_portal = {row[0]: (row[2].split(" ")[0], row[3]) for row in portal_rows}

    dashboard = coordinator_client.get(f"/monitoring/plan/{figures_plan.slug}/").content.decode()
    dashboard_rows = next(
        rows[1:] for caption, rows in _tables(dashboard) if caption in ("Indikátory", "Indicators")
    )
    on_dashboard = {row[0]: (row[1].split(" ")[0], row[3]) for row in dashboard_rows}
    assert on_portal == on_dashboard
    assert len({status for _, status in on_portal.values()}) >= 2  # not all "no data"

    # The report lists sub-indicators; the portal's indicator pages list them too.
    report = _report_html(figures_plan, year)
    report_rows = next(
        rows[1:]
        for _, rows in _tables(report)
        if rows and rows[0][:2] == ["Indikátor", "Dílčí indikátor"]
    )
    in_report = {row[1].split(" ")[0]: (row[4], row[5]) for row in report_rows}
    seen = 0
    for number in range(1, len(on_portal) + 1):
        page = Client().get(f"/{figures_plan.slug}/indikatory/{number}/").content.decode()
        for code, facts in re.findall(SUB_PATTERN, page, re.S):
            progress = re.search(r"<dt>Pokrok</dt><dd>([^<(]*)", facts)
            status = re.search(r'<span class="status status-[a-z_]+">([^<]+)</span>', facts)
            assert progress is not None, code
            assert status is not None, code
            shown = (" ".join(progress.group(1).split()), status.group(1))
            assert shown == in_report[code], code
            seen += 1
    assert seen == len(in_report)
