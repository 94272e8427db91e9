"""A report as PDF (WeasyPrint: paged media CSS, embedded DejaVu fonts with Czech diacritics)."""

from __future__ import annotations

from weasyprint import HTML

from smartplan.reports.charts import Chart
from smartplan.reports.html_renderer import render_html
from smartplan.reports.report_data import ReportData


def render_pdf(data: ReportData, charts: list[Chart] | None = None) -> bytes:
    html = render_html(data, charts)
    pdf: bytes = HTML(string=html, base_url=".").write_pdf()
    return pdf
