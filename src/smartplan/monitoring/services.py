"""Writes of monitoring: recomputing the stored states.

Measured values are entered and changed through ``monitoring.actions.measurements``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.rollup import build_rollups
from smartplan.monitoring.selectors import plan_thresholds, target_of
from smartplan.monitoring.values import current_values
from smartplan.plans.models import Plan


def plan_states_recompute(*, plan: Plan, as_of: dt.date | None = None) -> int:
    """Recompute value, progress, status and next due date of every sub-indicator of ``plan``.

    Reads the plan's measurements, observations and formula inputs in a fixed number of
    queries and replaces the stored states in one transaction. Returns the number of states.
    """
    today = as_of or timezone.localdate()
    thresholds = plan_thresholds(plan=plan)
    subs = list(SubIndicator.objects.filter(plan=plan).select_related("indicator").order_by("code"))
    values = current_values(plan=plan, subs=subs, as_of=today)
    last_dates = dict(
        Measurement.objects.filter(plan=plan)
        .values_list("sub_indicator_id")
        .annotate(last=Max("date"))
        .values_list("sub_indicator_id", "last")
    )
    start = dt.date(plan.period_from, 1, 1)
    now = timezone.now()
    states = []
    assessed: list[tuple[SubIndicator, rules.Assessment]] = []
    for sub in subs:
        current = values[sub.pk]
        if current.error:
            assessment = rules.Assessment(rules.NO_DATA, current.error)
        else:
            assessment = rules.assess(
                target_of(sub),
                value=current.value,
                value_date=current.date,
                as_of=today,
                thresholds=thresholds,
            )
        assessed.append((sub, assessment))
        explanation = " ".join(part for part in (current.note, assessment.explanation) if part)
        due = (
            rules.next_due(
                sub.indicator.frequency,
                last_value_date=last_dates.get(sub.pk),
                start=sub.baseline_date or start,
            )
            if sub.source == SubIndicator.Source.MEASURED
            else None
        )
        states.append(
            SubIndicatorState(
                plan=plan,
                sub_indicator=sub,
                value=assessment.value,
                value_date=assessment.value_date,
                progress=_q(assessment.progress),
                expected_progress=_q(assessment.expected),
                status=assessment.status,
                explanation=explanation,
                error=current.error,
                next_due=due,
                computed_at=now,
            )
        )
    goals: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for indicator_id, code, name in Indicator.strategic_goals.through.objects.filter(
        indicator__plan=plan
    ).values_list("indicator_id", "strategicgoal__code", "strategicgoal__name"):
        goals[indicator_id].append((str(code), f"{code} {name}"))
    rollups = [
        RollUpState(
            plan=plan,
            level=row.level,
            key=row.key,
            order=row.order,
            label=row.label[:500],
            object_id=row.object_id,
            status=row.summary.status,
            progress=_q(row.summary.progress),
            expected_progress=_q(row.summary.expected),
            counts=row.summary.counts,
            explanation=row.summary.explanation,
            computed_at=now,
        )
        for row in build_rollups(
            plan_label=str(plan), assessed=assessed, strategic_goals=goals, thresholds=thresholds
        )
    ]
    with transaction.atomic():
        SubIndicatorState.objects.filter(plan=plan).delete()
        SubIndicatorState.objects.bulk_create(states, batch_size=1000)
        RollUpState.objects.filter(plan=plan).delete()
        RollUpState.objects.bulk_create(rollups, batch_size=1000)
    return len(states)


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))
