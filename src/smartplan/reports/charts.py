"""Charts of a report, drawn with matplotlib: SVG for the HTML/PDF, PNG for Word.

Each chart has a caption saying what it shows and the data as a table, so the content is
there for readers who cannot see the picture.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt

from smartplan.core.czech_format import format_date, format_millions, format_money, format_number
from smartplan.reports.report_data import ReportData

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "svg.fonttype": "none",
        "svg.hashsalt": "smartplan",
    }
)


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    svg: str
    png: bytes


def _render(figure: Any) -> tuple[str, bytes]:
    svg = io.StringIO()
    figure.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return svg.getvalue(), png.getvalue()


def _short(text: str, length: int = 42) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def indicator_progress(data: ReportData) -> Chart:
    labels, values = [], []
    rows = []
    for card in data.indicators:
        progress = card.summary.progress
        labels.append(_short(f"{card.indicator.number}. {card.indicator.name}"))
        values.append(float(min(progress, Decimal(1)) * 100) if progress is not None else 0.0)
        rows.append(
            (
                f"{card.indicator.number}. {card.indicator.name}",
                "–" if progress is None else f"{format_number(progress * 100, max_decimals=1)} %",
                str(card.summary.status),
            )
        )
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(labels) + 0.8))
    axes.barh(labels[::-1], values[::-1], color="#0b5394")
    axes.axvline(100, color="#a11d1d", linestyle="--", linewidth=1)
    axes.set_xlim(0, 110)
    axes.set_xlabel("Pokrok k cílové hodnotě (%)")
    svg, png = _render(figure)
    return Chart(
        "indicators",
        f"Pokrok indikátorů k cílovým hodnotám k {format_date(data.period_end)} "
        "(100 % = cíl; indikátory bez naměřené hodnoty mají 0).",
        ("Indikátor", "Pokrok", "Stav"),
        rows,
        svg,
        png,
    )


def money_per_project(data: ReportData) -> Chart:
    labels = [_short(f"{c.project.number}. {c.project.name}", 34) for c in data.projects]
    planned = [float(c.planned) / 1e6 for c in data.projects]
    spent = [float(c.spent_in_year) / 1e6 for c in data.projects]
    figure, axes = plt.subplots(figsize=(7, 0.4 * len(labels) + 0.8))
    positions = range(len(labels))
    axes.barh(
        [p + 0.2 for p in positions],
        planned[::-1] if False else planned,
        height=0.4,
        label="Plánováno (odhad)",
        color="#9fb9d8",
    )
    axes.barh(
        [p - 0.2 for p in positions],
        spent,
        height=0.4,
        label=f"Vynaloženo v roce {data.report.year}",
        color="#0b5394",
    )
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlabel("mil. Kč")
    axes.legend(loc="lower right")
    svg, png = _render(figure)
    return Chart(
        "money",
        "Plánované náklady (horní odhady aktivit) a prostředky vynaložené v roce "
        f"{data.report.year} podle vlajkových projektů.",
        ("Projekt", "Plánováno", "Vynaloženo"),
        [
            (
                f"{c.project.number}. {c.project.name}",
                format_money(c.planned),
                format_money(c.spent_in_year),
            )
            for c in data.projects
        ],
        svg,
        png,
    )


def stack_finance(data: ReportData) -> Chart:
    figure, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    status_labels = [_short(label, 28) for label, _n, _m in data.stack_by_status]
    left.bar(
        range(len(status_labels)), [float(m) for _l, _n, m in data.stack_by_status], color="#0b5394"
    )
    left.set_xticks(range(len(status_labels)), [str(i + 1) for i in range(len(status_labels))])
    left.set_xlabel("Stav položky zásobníku")
    left.set_ylabel("mil. Kč")
    right.barh(
        [_short(a, 26) for a, _n, _m in data.stack_by_area][::-1],
        [float(m) for _a, _n, m in data.stack_by_area][::-1],
        color="#4a7fb5",
    )
    right.set_xlabel("mil. Kč")
    svg, png = _render(figure)
    rows = [(label, str(n), format_millions(money)) for label, n, money in data.stack_by_status]
    rows += [(area, str(n), format_millions(money)) for area, n, money in data.stack_by_area]
    return Chart(
        "stack",
        "Finanční objem zásobníku projektů podle stavu (vlevo; 1 běžící, 2 rozpracované, "
        "3 vhodné k rozpracování, 4 nápady) a podle oblasti (vpravo).",
        ("Stav / oblast", "Položek", "Finance"),
        rows,
        svg,
        png,
    )


def report_charts(data: ReportData) -> list[Chart]:
    return [indicator_progress(data), money_per_project(data), stack_finance(data)]
