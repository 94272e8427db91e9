"""A report's content: the annual or the quarterly report of ``ReportData`` as blocks."""

from __future__ import annotations

from smartplan.reports.annual_content import annual_content
from smartplan.reports.blocks import ReportContent
from smartplan.reports.charts import Chart, report_charts
from smartplan.reports.quarterly_content import quarterly_content
from smartplan.reports.report_data import ReportData


def report_content(data: ReportData, charts: list[Chart] | None = None) -> ReportContent:
    """The blocks every format renders; ``charts`` are made when not given."""
    if data.report.kind == "annual":
        return annual_content(data, charts if charts is not None else report_charts(data))
    return quarterly_content(data)
