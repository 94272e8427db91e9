"""A report as one HTML document: the preview in the browser and the source of the PDF."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from smartplan.reports.charts import Chart, report_charts
from smartplan.reports.report_data import ReportData

CSS = (Path(__file__).resolve().parent / "templates" / "reports" / "report.css").read_text(
    encoding="utf-8"
)


def _chart_context(chart: Chart) -> dict[str, Any]:
    return {
        "caption": chart.caption,
        "headers": chart.headers,
        "rows": chart.rows,
        "svg_base64": base64.b64encode(chart.svg.encode("utf-8")).decode("ascii"),
    }


def render_html(data: ReportData, charts: list[Chart] | None = None) -> str:
    """The report in Czech, with its charts embedded."""
    charts = charts if charts is not None else report_charts(data)
    template = "reports/annual.html" if data.report.kind == "annual" else "reports/quarterly.html"
    with translation.override("cs"):
        return render_to_string(
            template, {"data": data, "charts": [_chart_context(c) for c in charts], "css": CSS}
        )
