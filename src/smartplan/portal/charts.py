"""Server-rendered SVG charts of an indicator's history, for the public portal.

No JavaScript and no inline ``style`` attributes (the Content Security Policy allows neither):
the chart is an ``<svg>`` drawn with presentation attributes (``fill``, ``stroke``), with
``role="img"``, a ``<title>`` and a ``<desc>`` that say in words what it shows, and the same
figures as a table next to it (``portal/_chart.html``).

How to use it (the project pages do the same for their indicators)::

    from smartplan.portal.charts import sub_indicator_chart
    from smartplan.portal.selectors_indicators import sub_indicator_histories

    histories = sub_indicator_histories(subs=subs)  # one query for all of them
    charts = [sub_indicator_chart(sub, histories.get(sub.pk, [])) for sub in subs]

and in the template, once per chart::

    {% include "portal/_chart.html" with chart=chart %}

A sub-indicator without measured values gets no drawing but a sentence ("no data yet") and
the baseline and target in the table, so the page still says what is aimed at.
:func:`history_chart` draws any series of dated values (the building block).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_date, format_number
from smartplan.indicators.models import Measurement, SubIndicator

# Geometry of the drawing (user units of the viewBox; the SVG scales to its container).
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 20, 20, 44
# Colours with at least 4.5:1 contrast on white (WCAG AA for text, 3:1 for graphics).
INK = "#1b1b1b"
GRID = "#d0d0d0"
LINE = "#2362a2"  # the Gov Design System's primary blue
TARGET = "#9c4a00"
BASELINE = "#595959"


@dataclass(frozen=True)
class ChartPoint:
    """One dated value of a series; ``label`` says what it is in the table (e.g. "final")."""

    date: dt.date
    value: Decimal
    label: str = ""


@dataclass(frozen=True)
class HistoryChart:
    """A chart ready to render: the SVG markup and the table rows (already formatted)."""

    chart_id: str
    title: str
    description: str
    unit: str
    svg: SafeString  # empty when there is nothing to draw
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # date, value, what

    @property
    def has_data(self) -> bool:
        return bool(self.svg)


def _fmt(value: Decimal, unit: str) -> str:
    number = format_number(value, max_decimals=2)
    return f"{number}\xa0{unit}" if unit else number


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 × 10^n) giving about ``ticks`` intervals over ``span``."""
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _y_ticks(low: float, high: float) -> list[float]:
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    start = math.floor(low / step) * step
    ticks = []
    tick = start
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _describe(
    title: str,
    values: Sequence[ChartPoint],
    baseline: ChartPoint | None,
    target: ChartPoint | None,
    unit: str,
) -> str:
    parts: list[str] = []
    if values:
        first, last = values[0], values[-1]
        parts.append(
            _(
                "%(count)s measured values from %(first_date)s (%(first)s) "
                "to %(last_date)s (%(last)s)."
            )
            % {
                "count": len(values),
                "first_date": format_date(first.date),
                "first": _fmt(first.value, unit),
                "last_date": format_date(last.date),
                "last": _fmt(last.value, unit),
            }
        )
    else:
        parts.append(_("No measured values yet."))
    if baseline is not None:
        parts.append(
            _("Baseline %(value)s (%(date)s).")
            % {"value": _fmt(baseline.value, unit), "date": format_date(baseline.date)}
        )
    if target is not None:
        parts.append(
            _("Target %(value)s by %(date)s.")
            % {"value": _fmt(target.value, unit), "date": format_date(target.date)}
        )
    return " ".join(parts)


def _svg(
    chart_id: str,
    title: str,
    description: str,
    values: Sequence[ChartPoint],
    baseline: ChartPoint | None,
    target: ChartPoint | None,
    unit: str,
) -> SafeString:
    points = list(values)
    markers = [p for p in (baseline, target) if p is not None]
    all_points = points + markers
    dates = [p.date.toordinal() for p in all_points]
    first_day, last_day = min(dates), max(dates)
    if first_day == last_day:
        first_day, last_day = first_day - 183, last_day + 183
    numbers = [float(p.value) for p in all_points]
    ticks = _y_ticks(min(0.0, *numbers), max(numbers))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + (day.toordinal() - first_day) / (last_day - first_day) * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - (value - low) / (high - low) * plot_h, 1)

    parts: list[str] = []
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                y(tick),
                y(tick),
                GRID,
                LEFT - 6,
                y(tick) + 4,
                INK,
                format_number(Decimal(str(tick)), max_decimals=2),
            )
        )
    first_year = dt.date.fromordinal(first_day).year
    last_year = dt.date.fromordinal(last_day).year
    year_step = max(1, math.ceil((last_year - first_year + 1) / 8))
    for year in range(first_year, last_year + 1, year_step):
        day = dt.date(year, 1, 1)
        if first_day <= day.toordinal() <= last_day:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
                    x(day),
                    HEIGHT - BOTTOM + 18,
                    INK,
                    str(year),  # years are never grouped
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            WIDTH - RIGHT,
            y(low),
            y(low),
            INK,
        )
    )
    if target is not None:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"/>'
                '<path d="M{} {}l7 7-7 7-7-7z" transform="translate(0 -7)" fill="{}"/>',
                LEFT,
                WIDTH - RIGHT,
                y(float(target.value)),
                y(float(target.value)),
                TARGET,
                x(target.date),
                y(float(target.value)),
                TARGET,
            )
        )
    if baseline is not None:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>',
                x(baseline.date) - 5,
                y(float(baseline.value)) - 5,
                BASELINE,
            )
        )
    if len(points) > 1:
        path = " ".join(f"{x(p.date)},{y(float(p.value))}" for p in points)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>', path, LINE
            )
        )
    parts.append(
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
            ((x(p.date), y(float(p.value)), LINE) for p in points),
        )
    )
    legend = [(LINE, _("measured")), (TARGET, _("target")), (BASELINE, _("baseline"))]
    parts.append(
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
            '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
            (
                (LEFT + i * 130, HEIGHT - 16, colour, LEFT + i * 130 + 16, HEIGHT - 6, INK, text)
                for i, (colour, text) in enumerate(legend)
            ),
        )
    )
    return format_html(
        '<svg class="portal-chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(parts)),  # every part went through format_html
    )


def history_chart(
    *,
    chart_id: str,
    title: str,
    unit: str = "",
    values: Sequence[ChartPoint],
    baseline: ChartPoint | None = None,
    target: ChartPoint | None = None,
) -> HistoryChart:
    """A line chart of ``values`` (sorted here by date) with the baseline and the target.

    ``chart_id`` must be unique on the page (it names the title and description for
    ``aria-labelledby``). Without values the chart has no drawing (``has_data`` is False)
    and its description says there is no data yet.
    """
    ordered = sorted(values, key=lambda p: p.date)
    description = _describe(title, ordered, baseline, target, unit)
    svg = _svg(chart_id, title, description, ordered, baseline, target, unit) if ordered else ""
    rows: list[tuple[str, str, str]] = []
    if baseline is not None:
        rows.append((format_date(baseline.date), _fmt(baseline.value, unit), _("baseline")))
    rows += [(format_date(p.date), _fmt(p.value, unit), p.label or _("measured")) for p in ordered]
    if target is not None:
        rows.append((format_date(target.date), _fmt(target.value, unit), _("target")))
    return HistoryChart(
        chart_id=chart_id,
        title=title,
        description=description,
        unit=unit,
        svg=SafeString(svg),
        rows=rows,
    )


def _target_point(sub: SubIndicator) -> ChartPoint | None:
    if sub.target_value is None or sub.target_date is None:
        return None
    value = sub.target_value
    if sub.target_is_relative:
        if sub.baseline_value is None:
            return None  # the rules cannot place it either (monitoring.rules: no baseline)
        # a change from the baseline, drawn where it ends (as monitoring.rules reads it)
        sign = -1 if sub.direction == SubIndicator.Direction.DOWN else 1
        value = sub.baseline_value + sign * value
    return ChartPoint(sub.target_date, value)


def sub_indicator_chart(sub: SubIndicator, measurements: Sequence[Measurement]) -> HistoryChart:
    """The history chart of one sub-indicator: its measured values, baseline and target."""
    final = _("final")
    provisional = _("provisional")
    baseline = (
        ChartPoint(sub.baseline_date, sub.baseline_value)
        if sub.baseline_value is not None and sub.baseline_date is not None
        else None
    )
    return history_chart(
        chart_id=f"graf-{sub.pk}",
        title=_("%(code)s %(name)s: values over time") % {"code": sub.code, "name": sub.name},
        unit="%" if sub.kind == SubIndicator.Kind.PERCENT and not sub.unit else sub.unit,
        values=[
            ChartPoint(m.date, m.value, final if m.status == "final" else provisional)
            for m in measurements
        ],
        baseline=baseline,
        target=_target_point(sub),
    )
