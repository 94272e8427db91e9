"""A chart as a report block: its pictures with captions, and its data as a table."""

from __future__ import annotations

from smartplan.reports.blocks import Figure, FigurePanel, Table, columns, row
from smartplan.reports.charts import Chart


def chart_figure(chart: Chart, number: int) -> Figure:
    """Chart ``number`` ("Graf 2"), a caption per panel when drawn in several."""
    count = len(chart.panels)
    panels = tuple(
        FigurePanel(
            f"Graf {number}{f' (část {index} z {count})' if count > 1 else ''}: {chart.caption}",
            panel.alt,
        )
        for index, panel in enumerate(chart.panels, start=1)
    )
    data = Table(
        columns("l", *["r"] * (len(chart.headers) - 1)),
        (chart.headers,),
        tuple(row(*cells) for cells in chart.rows),
        caption=f"Data grafu {number}",
    )
    return Figure(chart, panels, data)
