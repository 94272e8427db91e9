"""The monitoring rules: progress, status and due dates. Pure functions, no database.

Progress is the share of the way from the baseline to the target::

    progress = (value − baseline) / (target − baseline)

so 0 is the baseline, 1 (100 %) the target, and a falling target (direction "down") needs no
special case. The expected progress at a date follows a straight line from the baseline date
(0) to the target date (1). The status compares the two:

* **achieved** – progress ≥ 100 % (reached early counts too);
* **off track** – the target date has passed without reaching the target, or
  progress / expected < the plan's at-risk ratio (default 0.60);
* **at risk** – progress / expected between the at-risk and on-track ratios;
* **on track** – progress / expected ≥ the on-track ratio (default 0.90), or nothing is
  expected yet;
* **no data** – no value yet, or no target to compare with.

A yes/no milestone is achieved at 1; until then it is on track while less than the
on-track ratio of its time has passed, at risk after that and off track after its date.
A target equal to the baseline is achieved when the value is at or beyond it.
Roll-ups (indicator, project, goal, area, plan) take weighted means of the progress
(capped to 0–100 %) and of the expected progress of the items with data, and apply the same
ratios to the means. Equal weights unless set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_date, format_number

ZERO = Decimal(0)
ONE = Decimal(1)

ACHIEVED = "achieved"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
SEVERITY = {ACHIEVED: 0, ON_TRACK: 1, AT_RISK: 2, OFF_TRACK: 3, NO_DATA: 4}

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12, "every_3_years": 36}


@dataclass(frozen=True)
class Thresholds:
    on_track: Decimal = Decimal("0.90")
    at_risk: Decimal = Decimal("0.60")


@dataclass(frozen=True)
class Target:
    """What a sub-indicator aims at (a snapshot of the model fields the rules need)."""

    kind: str  # number | percent | milestone
    direction: str = "up"  # up | down
    baseline_value: Decimal | None = None
    baseline_date: dt.date | None = None
    target_value: Decimal | None = None
    target_date: dt.date | None = None
    target_is_relative: bool = False
    unit: str = ""


@dataclass(frozen=True)
class Assessment:
    status: str
    explanation: str
    value: Decimal | None = None
    value_date: dt.date | None = None
    progress: Decimal | None = None
    expected: Decimal | None = None


def _pct(share: Decimal | None) -> str:
    return "–" if share is None else f"{format_number(share * 100, max_decimals=1)}\xa0%"


def _clamp(share: Decimal) -> Decimal:
    return min(max(share, ZERO), ONE)


def expected_progress(target: Target, at: dt.date) -> Decimal | None:
    """Share of the time from the baseline date to the target date elapsed at ``at``."""
    if target.baseline_date is None or target.target_date is None:
        return None
    total = (target.target_date - target.baseline_date).days
    if total <= 0:
        return ONE
    return _clamp(Decimal((at - target.baseline_date).days) / Decimal(total))


def _ratio_status(progress: Decimal, expected: Decimal | None, thresholds: Thresholds) -> str:
    if expected is None or expected == ZERO:
        return ON_TRACK
    ratio = progress / expected
    if ratio >= thresholds.on_track:
        return ON_TRACK
    if ratio >= thresholds.at_risk:
        return AT_RISK
    return OFF_TRACK


@dataclass(frozen=True)
class _Measure:
    """The figures behind a status, without words: which case applies and its numbers."""

    case: str  # no_value | no_target | no_baseline | flat | milestone | progress
    status: str
    progress: Decimal | None = None
    expected: Decimal | None = None
    baseline: Decimal | None = None
    goal: Decimal | None = None
    baseline_assumed: bool = False


def _measure(
    target: Target,
    value: Decimal | None,
    value_date: dt.date | None,
    as_of: dt.date,
    thresholds: Thresholds,
) -> _Measure:
    if value is None or value_date is None:
        return _Measure("no_value", NO_DATA)
    if target.kind == "milestone":
        elapsed = expected_progress(target, as_of)
        if value >= ONE:
            status = ACHIEVED
        elif target.target_date is not None and as_of > target.target_date:
            status = OFF_TRACK
        elif elapsed is not None and elapsed >= thresholds.on_track:
            status = AT_RISK
        else:
            status = ON_TRACK
        return _Measure("milestone", status, ONE if value >= ONE else ZERO, elapsed)
    if target.target_value is None:
        return _Measure("no_target", NO_DATA)
    baseline = target.baseline_value
    assumed = False
    if baseline is None:
        if target.target_is_relative:
            return _Measure("no_baseline", NO_DATA)
        baseline, assumed = ZERO, True
    if target.target_is_relative:
        sign = -1 if target.direction == "down" else 1
        goal = baseline + sign * target.target_value
    else:
        goal = target.target_value
    expected = expected_progress(target, value_date)
    if goal == baseline:
        reached = value >= goal if target.direction == "up" else value <= goal
        return _Measure(
            "flat",
            ACHIEVED if reached else OFF_TRACK,
            ONE if reached else ZERO,
            expected,
            baseline,
            goal,
            assumed,
        )
    progress = (value - baseline) / (goal - baseline)
    if progress >= ONE:
        status = ACHIEVED
    elif target.target_date is not None and as_of > target.target_date:
        status = OFF_TRACK
    else:
        status = _ratio_status(progress, expected, thresholds)
    return _Measure("progress", status, progress, expected, baseline, goal, assumed)


def status_of(
    target: Target,
    *,
    value: Decimal | None,
    value_date: dt.date | None,
    as_of: dt.date,
    thresholds: Thresholds = Thresholds(),
) -> str:
    """The status ``assess`` gives, without building its explanation (for checking many
    values at once: the explanation's number formatting is most of ``assess``'s time)."""
    return _measure(target, value, value_date, as_of, thresholds).status


def assess(
    target: Target,
    *,
    value: Decimal | None,
    value_date: dt.date | None,
    as_of: dt.date,
    thresholds: Thresholds = Thresholds(),
) -> Assessment:
    """Progress and status of one value against its target, with a Czech explanation."""
    m = _measure(target, value, value_date, as_of, thresholds)
    if value is None or value_date is None:
        return Assessment(NO_DATA, _("No value has been entered yet."))
    if m.case == "milestone":
        return _explain_milestone(target, m, value, value_date)
    if m.case == "no_target":
        return Assessment(
            NO_DATA,
            _("No target is set, so the value %(value)s cannot be evaluated.")
            % {"value": format_number(value)},
            value,
            value_date,
        )
    if m.case == "no_baseline":
        return Assessment(
            NO_DATA,
            _("The target is a change from the baseline, and the baseline is not known."),
            value,
            value_date,
        )
    assert m.baseline is not None
    assert m.goal is not None
    assert m.progress is not None
    notes = [_("No baseline is given; it is taken as 0.")] if m.baseline_assumed else []
    expected = m.expected
    values = {
        "value": format_number(value),
        "baseline": format_number(m.baseline),
        "target": format_number(m.goal),
        "date": format_date(value_date),
    }
    if m.case == "flat":
        reached = m.status == ACHIEVED
        text = _(
            "The target equals the baseline (%(target)s); the value %(value)s of %(date)s "
            "%(verdict)s it."
        ) % {**values, "verdict": _("meets") if reached else _("does not meet")}
        return Assessment(
            m.status, " ".join([*notes, text]), value, value_date, m.progress, expected
        )
    progress = m.progress
    text = _(
        "Progress = (value − baseline) / (target − baseline) = (%(value)s − %(baseline)s) / "
        "(%(target)s − %(baseline)s) = %(progress)s as of %(date)s."
    ) % {**values, "progress": _pct(progress)}
    parts = [*notes, text]
    if progress >= ONE:
        parts.append(_("The target is reached."))
    elif target.target_date is not None and as_of > target.target_date:
        parts.append(
            _("The target date %(deadline)s has passed without reaching the target.")
            % {"deadline": format_date(target.target_date)}
        )
    elif expected is None or expected == ZERO:
        parts.append(_("Nothing is expected yet at that date."))
    else:
        parts.append(
            _(
                "Expected by then: %(expected)s (straight line from the baseline date to "
                "the target date); progress / expected = %(ratio)s; on track from "
                "%(on_track)s, at risk from %(at_risk)s."
            )
            % {
                "expected": _pct(expected),
                "ratio": format_number(progress / expected, max_decimals=2),
                "on_track": format_number(thresholds.on_track, max_decimals=2),
                "at_risk": format_number(thresholds.at_risk, max_decimals=2),
            }
        )
    return Assessment(m.status, " ".join(parts), value, value_date, progress, expected)


def _explain_milestone(
    target: Target, m: _Measure, value: Decimal, value_date: dt.date
) -> Assessment:
    elapsed = m.expected
    if m.status == ACHIEVED:
        text = _("The milestone was achieved (%(date)s).") % {"date": format_date(value_date)}
    elif m.status == OFF_TRACK:
        assert target.target_date is not None
        text = _("The milestone was due on %(deadline)s and is not achieved.") % {
            "deadline": format_date(target.target_date)
        }
    elif m.status == AT_RISK:
        text = _("The milestone is not achieved and %(elapsed)s of its time has passed.") % {
            "elapsed": _pct(elapsed)
        }
    else:
        text = _("The milestone is not achieved yet; %(elapsed)s of its time has passed.") % {
            "elapsed": _pct(elapsed)
        }
    return Assessment(m.status, text, value, value_date, m.progress, elapsed)


@dataclass
class RollUp:
    """A weighted summary of assessments (an indicator, a project, a goal, an area, a plan)."""

    status: str
    progress: Decimal | None
    expected: Decimal | None
    counts: dict[str, int] = field(default_factory=dict)
    explanation: str = ""


def roll_up(
    items: Iterable[tuple[Assessment | RollUp, Decimal]],
    thresholds: Thresholds = Thresholds(),
) -> RollUp:
    """Weighted means of capped progress and of expected progress over items with data."""
    counts = dict.fromkeys(SEVERITY, 0)
    weight_sum = progress_sum = expected_sum = ZERO
    expected_weight = ZERO
    all_achieved = True
    for item, weight in items:
        counts[item.status] += 1
        if item.status == NO_DATA or item.progress is None:
            continue
        all_achieved = all_achieved and item.status == ACHIEVED
        weight_sum += weight
        progress_sum += weight * _clamp(item.progress)
        if item.expected is not None:
            expected_sum += weight * item.expected
            expected_weight += weight
    if weight_sum == ZERO:
        return RollUp(NO_DATA, None, None, counts, _("No item has a value yet."))
    progress = progress_sum / weight_sum
    expected = expected_sum / expected_weight if expected_weight else None
    status = ACHIEVED if all_achieved else _ratio_status(progress, expected, thresholds)
    explanation = _(
        "Weighted mean of %(count)s items with a value: progress %(progress)s, expected "
        "%(expected)s."
    ) % {
        "count": sum(counts.values()) - counts[NO_DATA],
        "progress": _pct(progress),
        "expected": _pct(expected),
    }
    return RollUp(status, progress, expected, counts, explanation)


def next_due(
    frequency: str, *, last_value_date: dt.date | None, start: dt.date | None
) -> dt.date | None:
    """When the next value is due: one period after the last value, or after the start."""
    months = FREQUENCY_MONTHS.get(frequency)
    anchor = last_value_date or start
    if months is None or anchor is None:
        return None
    return anchor + relativedelta(months=months)
