"""The report's blocks, rendered from the fragment templates in ``templates/reports``."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from smartplan.reports.charts import Chart, report_charts
from smartplan.reports.document import Block, ReportDocument, TableFrame, TocEntry
from smartplan.reports.report_data import ReportData

CSS = (Path(__file__).resolve().parent / "templates" / "reports" / "report.css").read_text(
    encoding="utf-8"
)
STACK_ROWS_PER_BLOCK = 40

ANNUAL_TOC = [
    TocEntry("uvodem", "Úvodem"),
    TocEntry("s1", "1. Sledování trendů a zkušeností"),
    TocEntry("s2", "2. Komunikace a budování partnerství"),
    TocEntry("s2-1", "2.1. Komunikace tématu", sub=True),
    TocEntry("s2-2", "2.2. Projekty SMART v regionu", sub=True),
    TocEntry("s2-3", "2.3. Náměty na nové SMART projekty", sub=True),
    TocEntry("s3", "3. Koordinace jednotlivých vlajkových projektů"),
    TocEntry("s4", "4. Monitoring a vyhodnocení akčního plánu"),
    TocEntry("s4-1", "4.1. Indikátory jednotlivých projektů", sub=True),
    TocEntry("s4-2", "4.2. Vyhodnocení dosavadních kroků", sub=True),
    TocEntry("s5", "5. Aktualizace zásobníku projektů"),
    TocEntry("s6", "6. Přílohy"),
    TocEntry("p1", "Příloha 1: Systém sledování a vyhodnocování – indikátory", sub=True),
    TocEntry("p2", "Příloha 2: Zásobník projektů", sub=True),
    TocEntry("p3", "Příloha 3: Finanční plnění vlajkových projektů", sub=True),
]

APPENDICES = dict(zip(("01", "02", "03"), ANNUAL_TOC[-3:], strict=True))  # by their number


class _Builder:
    def __init__(self, data: ReportData, charts: list[Chart]) -> None:
        self.data = data
        self.charts = charts
        self.blocks: list[Block] = []

    def render(self, template: str, **context: Any) -> str:
        return render_to_string(f"reports/{template}", {"data": self.data, **context})

    def add(self, template: str, appendix: str = "", keep: bool = False, **context: Any) -> None:
        self.blocks.append(Block(self.render(template, **context), appendix, keep_with_next=keep))

    def heading(self, entry: TocEntry, appendix: str) -> None:
        """An appendix's heading (its text as in the contents), kept with what follows."""
        html = f'<h1 id="{entry.anchor}">{escape(entry.label)}</h1>\n'
        self.blocks.append(Block(html, appendix, keep_with_next=True))

    def chart(self, index: int, number: int, appendix: str = "") -> None:
        chart = self.charts[index]
        panels = [
            {"alt": panel.alt, "src": base64.b64encode(image).decode("ascii")}
            for panel, image in zip(chart.panels, chart.images("svg"), strict=True)
        ]
        self.add("chart.html", appendix, chart=chart, number=number, panels=panels)

    def rows(
        self, template: str, table: str, appendix: str, parts: Iterable[dict[str, Any]]
    ) -> None:
        """Rows of a table, a block per part; ``table`` names its frame in the document."""
        for context in parts:
            html = self.render(template, **context)
            self.blocks.append(Block(html, appendix, table=table))


def _in_parts(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _annual(builder: _Builder) -> ReportDocument:
    data = builder.data
    builder.add("annual/intro.html")
    builder.add("annual/projects_overview.html", keep=True)
    for card in data.projects:
        builder.add("annual/project_card.html", card=card)
    builder.chart(1, 2)
    builder.add("annual/monitoring.html")
    builder.chart(0, 1)
    builder.add("annual/evaluation.html")
    builder.add("annual/stack_update.html")

    builder.heading(APPENDICES["01"], "01")
    for indicator_card in data.indicators:
        builder.add("annual/indicator_card.html", "01", card=indicator_card)

    builder.heading(APPENDICES["02"], "02")
    original = _in_parts(data.stack_original, STACK_ROWS_PER_BLOCK) or [[]]
    new = _in_parts(data.stack_new, STACK_ROWS_PER_BLOCK)
    parts: list[dict[str, Any]] = [{"items": items} for items in original]
    parts[-1] = {**parts[-1], "total": True, "new_heading": bool(new)}
    parts += [{"items": items} for items in new]
    builder.rows("annual/stack_rows.html", "stack", "02", parts)
    builder.add("annual/stack_legend.html", "02")
    builder.chart(2, 3, "02")

    builder.heading(APPENDICES["03"], "03")
    for card in data.projects:
        builder.add("annual/fulfilment.html", "03", card=card)

    opening, closing = builder.render("annual/stack_table.html").split("<!--rows-->")
    return _document(
        builder,
        "annual/front.html",
        toc=ANNUAL_TOC,
        tables={"stack": TableFrame(opening, closing)},
    )


def _quarterly(builder: _Builder) -> ReportDocument:
    builder.blocks.append(
        Block('<h1 class="first">1. Vlajkové projekty v čtvrtletí</h1>\n', keep_with_next=True)
    )
    for card in builder.data.projects:
        builder.add("quarterly/project_card.html", card=card)
    builder.add("quarterly/changes.html")
    return _document(builder, "quarterly/front.html")


def _document(
    builder: _Builder,
    front: str,
    toc: list[TocEntry] | None = None,
    tables: dict[str, TableFrame] | None = None,
) -> ReportDocument:
    data = builder.data

    def front_html(pages: dict[str, int] | None) -> str:
        entries = [
            {
                "anchor": e.anchor,
                "label": e.label,
                "sub": e.sub,
                "page": (pages or {}).get(e.anchor),
            }
            for e in toc or []
        ]
        with translation.override("cs"):
            return builder.render(front, toc=entries)

    return ReportDocument(
        title=f"{data.title} – {data.plan.name}",
        running=f"{data.title} – {data.plan.concept_name or data.plan.name}",
        css=CSS,
        front=front_html,
        blocks=builder.blocks,
        tables=tables or {},
        toc=toc or [],
    )


def report_document(data: ReportData, charts: list[Chart] | None = None) -> ReportDocument:
    """The report's document in Czech, with its charts drawn as SVG."""
    builder = _Builder(data, charts if charts is not None else report_charts(data))
    with translation.override("cs"):
        if data.report.kind == "annual":
            return _annual(builder)
        return _quarterly(builder)
