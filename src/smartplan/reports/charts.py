"""Charts of a report, drawn with matplotlib: SVG for the HTML and PDF, PNG for Word.

Each chart has a caption saying what it shows and its data as a table, so the content is
there for readers who cannot see the picture. A bar chart of a large plan is drawn in panels
of at most ``BARS_PER_PANEL`` bars, each a picture that fits one page; a picture is drawn
only in the format the document needs.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt

from smartplan.reports import figure_format as fmt
from smartplan.reports.report_data import ReportData

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "svg.fonttype": "none",
        "svg.hashsalt": "smartplan",
    }
)

BARS_PER_PANEL = 36
ImageFormat = Literal["svg", "png"]


@dataclass(frozen=True)
class Panel:
    """One picture of a chart: what it shows (its alternative text) and how to draw it."""

    alt: str
    draw: Callable[[], Any]  # returns a matplotlib figure

    def image(self, fmt: ImageFormat) -> bytes:
        figure = self.draw()
        buffer = io.BytesIO()
        options: dict[str, Any] = {"metadata": {"Date": None}} if fmt == "svg" else {"dpi": 150}
        figure.savefig(buffer, format=fmt, bbox_inches="tight", **options)
        plt.close(figure)
        return buffer.getvalue()


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    panels: tuple[Panel, ...]

    def images(self, fmt: ImageFormat) -> list[bytes]:
        return [panel.image(fmt) for panel in self.panels]


def _short(text: str, length: int = 42) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _slices(count: int) -> list[range]:
    """Bar ranges of the panels: as even as possible, none over ``BARS_PER_PANEL``."""
    if count == 0:
        return [range(0)]
    panels = -(-count // BARS_PER_PANEL)
    size = -(-count // panels)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _alt(what: str, labels: Sequence[str], part: range, total: int) -> str:
    if part.stop - part.start == total:
        return what
    return f"{what}, část: {labels[part.start]} až {labels[part.stop - 1]}"


def _panels(
    what: str, labels: Sequence[str], drawer: Callable[[range], Callable[[], Any]]
) -> tuple[Panel, ...]:
    """A bar chart's panels, each with its bars and a text alternative naming them."""
    return tuple(
        Panel(_alt(what, labels, part, len(labels)), drawer(part)) for part in _slices(len(labels))
    )


def indicator_progress(data: ReportData) -> Chart:
    labels, values, rows = [], [], []
    for card in data.indicators:
        progress = card.summary.progress
        labels.append(_short(f"{card.indicator.number}. {card.indicator.name}"))
        values.append(float(min(progress, Decimal(1)) * 100) if progress is not None else 0.0)
        rows.append(
            (
                f"{card.indicator.number}. {card.indicator.name}",
                fmt.progress(progress),
                fmt.status(card.summary.status),
            )
        )

    def drawer(part: range) -> Callable[[], Any]:
        def draw() -> Any:
            figure, axes = plt.subplots(figsize=(7, 0.25 * len(part) + 0.8))
            axes.barh(
                labels[part.start : part.stop][::-1],
                values[part.start : part.stop][::-1],
                color="#0b5394",
            )
            axes.axvline(100, color="#a11d1d", linestyle="--", linewidth=1)
            axes.set_xlim(0, 110)
            axes.set_xlabel("Pokrok k cílové hodnotě (%)")
            return figure

        return draw

    what = "Sloupcový graf pokroku indikátorů k cílovým hodnotám"
    return Chart(
        "indicators",
        f"Pokrok indikátorů k cílovým hodnotám k {fmt.date(data.period_end)} "
        "(100 % = cíl; indikátory bez naměřené hodnoty mají 0).",
        ("Indikátor", "Pokrok", "Stav"),
        rows,
        _panels(what, labels, drawer),
    )


def money_per_project(data: ReportData) -> Chart:
    labels = [_short(f"{c.project.number}. {c.project.name}", 34) for c in data.projects]
    planned = [float(c.planned.high) / 1e6 for c in data.projects]
    spent = [float(c.spent_in_year) / 1e6 for c in data.projects]

    def drawer(part: range) -> Callable[[], Any]:
        def draw() -> Any:
            figure, axes = plt.subplots(figsize=(7, 0.3 * len(part) + 0.8))
            positions = range(len(part))
            axes.barh(
                [p + 0.2 for p in positions],
                planned[part.start : part.stop],
                height=0.4,
                label="Plánováno (odhad)",
                color="#9fb9d8",
            )
            axes.barh(
                [p - 0.2 for p in positions],
                spent[part.start : part.stop],
                height=0.4,
                label=f"Vynaloženo v roce {data.report.year}",
                color="#0b5394",
            )
            axes.set_yticks(list(positions), labels[part.start : part.stop])
            axes.invert_yaxis()
            axes.set_xlabel("mil. Kč")
            axes.legend(loc="lower right")
            return figure

        return draw

    what = "Sloupcový graf plánovaných a vynaložených prostředků podle projektů"
    return Chart(
        "money",
        "Plánované náklady (sloupec: horní konec odhadu aktivit, tabulka: rozpětí) "
        "a prostředky vynaložené v roce "
        f"{data.report.year} podle vlajkových projektů.",
        ("Projekt", "Plánováno", "Vynaloženo"),
        [
            (
                f"{c.project.number}. {c.project.name}",
                fmt.planned_money(c.planned),
                fmt.spent_money(c.spent_in_year),
            )
            for c in data.projects
        ],
        _panels(what, labels, drawer),
    )


def stack_finance(data: ReportData) -> Chart:
    def draw() -> Any:
        figure, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
        statuses = data.stack_by_status
        left.bar(range(len(statuses)), [float(m) for _l, _n, m in statuses], color="#0b5394")
        left.set_xticks(range(len(statuses)), [str(i + 1) for i in range(len(statuses))])
        left.set_xlabel("Stav položky zásobníku")
        left.set_ylabel("mil. Kč")
        right.barh(
            [_short(a, 26) for a, _n, _m in data.stack_by_area][::-1],
            [float(m) for _a, _n, m in data.stack_by_area][::-1],
            color="#4a7fb5",
        )
        right.set_xlabel("mil. Kč")
        return figure

    rows = [(label, fmt.count(n), fmt.stack_total(m)) for label, n, m in data.stack_by_status]
    rows += [(area, fmt.count(n), fmt.stack_total(m)) for area, n, m in data.stack_by_area]
    return Chart(
        "stack",
        "Finanční objem zásobníku projektů podle stavu (vlevo; 1 běžící, 2 rozpracované, "
        "3 vhodné k rozpracování, 4 nápady) a podle oblasti (vpravo).",
        ("Stav / oblast", "Položek", "Finance"),
        rows,
        (Panel("Sloupcové grafy finančního objemu zásobníku podle stavu a podle oblasti", draw),),
    )


def report_charts(data: ReportData) -> list[Chart]:
    return [indicator_progress(data), money_per_project(data), stack_finance(data)]
