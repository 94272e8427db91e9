"""A report as one HTML document: the preview in the browser and the HTML download."""

from __future__ import annotations

from smartplan.reports.charts import Chart
from smartplan.reports.document_builder import report_document
from smartplan.reports.report_data import ReportData


def render_html(data: ReportData, charts: list[Chart] | None = None) -> str:
    """The report in Czech, with its charts embedded."""
    return report_document(data, charts).html()
