"""Writes of monitoring: recomputing the stored states.

Measured values are entered and changed through ``monitoring.actions.measurements``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from smartplan.monitoring.freshness import states_version_record, states_version_start
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.selectors import plan_figures
from smartplan.plans.models import Plan


def plan_states_recompute(*, plan: Plan, as_of: dt.date | None = None) -> int:
    """Store the figures of every sub-indicator and roll-up of ``plan`` as of today.

    The figures are :func:`selectors.plan_figures` (the same computation the reports call
    as of their period's end); this replaces the stored states in one transaction.
    Returns the number of states.
    """
    version = states_version_start(plan=plan)  # before the registers are read
    figures = plan_figures(plan=plan, as_of=as_of or timezone.localdate())
    now = timezone.now()
    states = [
        SubIndicatorState(
            plan=plan,
            sub_indicator=figure.sub,
            value=figure.assessment.value,
            value_date=figure.assessment.value_date,
            progress=figure.assessment.progress,
            expected_progress=figure.assessment.expected,
            status=figure.assessment.status,
            explanation=figure.explanation,
            error=figure.error,
            next_due=figure.next_due,
            computed_at=now,
        )
        for figure in figures.subs
    ]
    rollups = [
        RollUpState(
            plan=plan,
            level=row.level,
            key=row.key,
            order=row.order,
            label=row.label[:500],
            object_id=row.object_id,
            status=row.summary.status,
            progress=row.summary.progress,
            expected_progress=row.summary.expected,
            counts=row.summary.counts,
            explanation=row.summary.explanation,
            computed_at=now,
        )
        for row in figures.rollups
    ]
    with transaction.atomic():
        if not states_version_record(plan=plan, version=version):
            return len(states)  # a recompute that started later stored newer states
        SubIndicatorState.objects.filter(plan=plan).delete()
        SubIndicatorState.objects.bulk_create(states, batch_size=1000)
        RollUpState.objects.filter(plan=plan).delete()
        RollUpState.objects.bulk_create(rollups, batch_size=1000)
    return len(states)
