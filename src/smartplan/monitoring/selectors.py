"""Reads of monitoring: the figures of a plan as of a date, and the dashboard's lists.

:func:`plan_figures` is the one computation of every sub-indicator's value, progress,
expected progress, status and next due date, and of the roll-ups (indicator, project,
goals, area, plan). The recompute stores its result as of today (SubIndicatorState,
RollUpState, which the dashboard reads); the reports call it as of their period's end.
Money lives in :mod:`smartplan.projects.selectors`, stack totals in
:mod:`smartplan.stack.selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.models import MonitoringSettings, RollUpState, SubIndicatorState
from smartplan.monitoring.rollup import RollUpRow, build_rollups
from smartplan.monitoring.values import current_values
from smartplan.plans.models import Plan
from smartplan.projects.models import FlagshipProject


def plan_thresholds(*, plan: Plan) -> rules.Thresholds:
    settings = MonitoringSettings.objects.filter(plan=plan).first()
    if settings is None:
        return rules.Thresholds()
    return rules.Thresholds(on_track=settings.on_track_ratio, at_risk=settings.at_risk_ratio)


def target_of(sub: SubIndicator) -> rules.Target:
    return rules.Target(
        kind=sub.kind,
        direction=sub.direction,
        baseline_value=sub.baseline_value,
        baseline_date=sub.baseline_date,
        target_value=sub.target_value,
        target_date=sub.target_date,
        target_is_relative=sub.target_is_relative,
        unit=sub.unit,
    )


QUANTUM = Decimal("0.0001")


def _q(value: Decimal | None) -> Decimal | None:
    """Progress shares are kept to 4 places (0,01 %), as stored and as shown everywhere."""
    return None if value is None else value.quantize(QUANTUM)


@dataclass(frozen=True)
class SubFigure:
    """One sub-indicator as of a date: the assessment (value, progress, expected progress,
    status; shares to 4 places), the full explanation and the next due date."""

    sub: SubIndicator
    assessment: rules.Assessment
    explanation: str
    error: str
    next_due: dt.date | None


@dataclass(frozen=True)
class PlanFigures:
    """Every monitoring figure of a plan as of ``as_of`` (see :func:`plan_figures`)."""

    as_of: dt.date
    subs: list[SubFigure]  # by indicator number, then code
    rollups: list[RollUpRow]  # shares to 4 places
    _by_key: dict[tuple[str, str], RollUpRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {(r.level, r.key): r for r in self.rollups})

    def rollup(self, level: str, key: str) -> rules.RollUp:
        """The roll-up of one indicator, project, goal or area (keyed as in RollUpState);
        "no data" for one without sub-indicators."""
        row = self._by_key.get((level, key))
        return rules.roll_up(()) if row is None else row.summary

    def overdue(self) -> list[SubFigure]:
        """Measured sub-indicators whose next value was due before ``as_of``, by due date."""
        late = [f for f in self.subs if rules.is_overdue(f.next_due, as_of=self.as_of)]
        return sorted(late, key=lambda f: (f.next_due, f.sub.code))


def next_due_date(
    sub: SubIndicator, *, plan: Plan, last_value_date: dt.date | None
) -> dt.date | None:
    """When the next value of ``sub`` is due: one period (its indicator's frequency) after
    its last value, or after its baseline date (else the plan's start); None unless measured."""
    if sub.source != SubIndicator.Source.MEASURED:
        return None
    return rules.next_due(
        sub.indicator.frequency,
        last_value_date=last_value_date,
        start=sub.baseline_date or dt.date(plan.period_from, 1, 1),
    )


def plan_figures(*, plan: Plan, as_of: dt.date) -> PlanFigures:
    """Value, progress, expected progress, status and next due date of every sub-indicator
    of ``plan`` as of ``as_of``, and all roll-ups, in a fixed number of queries.

    Only values dated on or before ``as_of`` count, so a report for 2020 shows the state of
    31. 12. 2020 whatever was entered later. The recompute stores this result as of today.
    """
    thresholds = plan_thresholds(plan=plan)
    subs = list(
        SubIndicator.objects.filter(plan=plan)
        .select_related("indicator__project__area", "indicator__specific_goal")
        .order_by("indicator__number", "code")
    )
    values = current_values(plan=plan, subs=subs, as_of=as_of)
    last_dates = dict(
        Measurement.objects.filter(plan=plan, date__lte=as_of)
        .values_list("sub_indicator_id")
        .annotate(last=Max("date"))
        .values_list("sub_indicator_id", "last")
    )
    figures = []
    for sub in subs:
        current = values[sub.pk]
        if current.error:
            assessment = rules.Assessment(rules.NO_DATA, current.error)
        else:
            assessment = rules.assess(
                target_of(sub),
                value=current.value,
                value_date=current.date,
                as_of=as_of,
                thresholds=thresholds,
            )
        assessment = replace(
            assessment, progress=_q(assessment.progress), expected=_q(assessment.expected)
        )
        figures.append(
            SubFigure(
                sub=sub,
                assessment=assessment,
                explanation=" ".join(p for p in (current.note, assessment.explanation) if p),
                error=current.error,
                next_due=next_due_date(sub, plan=plan, last_value_date=last_dates.get(sub.pk)),
            )
        )
    goals: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for indicator_id, code, name in Indicator.strategic_goals.through.objects.filter(
        indicator__plan=plan
    ).values_list("indicator_id", "strategicgoal__code", "strategicgoal__name"):
        goals[indicator_id].append((str(code), f"{code} {name}"))
    rows = build_rollups(
        plan_label=str(plan),
        assessed=[(f.sub, f.assessment) for f in figures],
        strategic_goals=goals,
        thresholds=thresholds,
    )
    rollups = [
        replace(
            row,
            summary=replace(
                row.summary, progress=_q(row.summary.progress), expected=_q(row.summary.expected)
            ),
        )
        for row in rows
    ]
    return PlanFigures(as_of=as_of, subs=figures, rollups=rollups)


def plan_rollups(*, plan: Plan, levels: tuple[str, ...]) -> dict[str, list[RollUpState]]:
    """The stored roll-ups of ``plan`` for the given levels, in one query."""
    result: dict[str, list[RollUpState]] = {level: [] for level in levels}
    for row in RollUpState.objects.filter(plan=plan, level__in=levels).order_by("level", "order"):
        result[row.level].append(row)
    return result


def rollup_rows(*, plan: Plan, level: str) -> QuerySet[RollUpState]:
    """Roll-ups of one level (indicators, projects) in their order, for paging."""
    return RollUpState.objects.filter(plan=plan, level=level).order_by("order")


def overdue_states(*, plan: Plan, today: dt.date) -> QuerySet[SubIndicatorState]:
    """Sub-indicators whose next value was due before ``today`` (:func:`rules.is_overdue`
    as a filter over the stored states)."""
    return (
        SubIndicatorState.objects.filter(plan=plan, next_due__lt=today)
        .select_related("sub_indicator__indicator__responsible_person")
        .order_by("next_due", "sub_indicator__code")
    )


def states_needing_attention(*, plan: Plan) -> QuerySet[SubIndicatorState]:
    return (
        SubIndicatorState.objects.filter(plan=plan, status__in=[rules.AT_RISK, rules.OFF_TRACK])
        .select_related("sub_indicator__indicator")
        .order_by("-status", "sub_indicator__code")
    )


def current_quarter(today: dt.date) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


def projects_without_update(*, plan: Plan, today: dt.date) -> QuerySet[FlagshipProject]:
    """Coordinated projects with no status report for the current year or quarter."""
    year, quarter = current_quarter(today)
    current = Q(status_reports__year=year) & (
        Q(status_reports__quarter=quarter) | Q(status_reports__quarter__isnull=True)
    )
    return (
        FlagshipProject.objects.filter(plan=plan, coordinated=True)
        .annotate(current_reports=Count("status_reports", filter=current))
        .filter(current_reports=0)
        .annotate(last_report=Max("status_reports__year"))
        .select_related("guarantor")
        .order_by("number")
    )
