"""Writes of monitoring: recomputing states, entering and changing measured values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.indicators.models import Indicator, Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.freshness import states_version_record, states_version_start
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.rollup import build_rollups
from smartplan.monitoring.selectors import plan_thresholds, target_of
from smartplan.monitoring.values import current_values
from smartplan.plans.models import Plan


class MonitoringError(SmartplanError):
    """A measured value cannot be stored as given."""


User = AuthUser | AnonymousUser


def plan_states_recompute(*, plan: Plan, as_of: dt.date | None = None) -> int:
    """Recompute value, progress, status and next due date of every sub-indicator of ``plan``.

    Reads the plan's measurements, observations and formula inputs in a fixed number of
    queries and replaces the stored states in one transaction. Returns the number of states.
    """
    version = states_version_start(plan=plan)  # before the registers are read
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
        if not states_version_record(plan=plan, version=version):
            return len(states)  # a recompute that started later stored newer states
        SubIndicatorState.objects.filter(plan=plan).delete()
        SubIndicatorState.objects.bulk_create(states, batch_size=1000)
        RollUpState.objects.filter(plan=plan).delete()
        RollUpState.objects.bulk_create(rollups, batch_size=1000)
    return len(states)


def _account(user: User | None) -> AuthUser | None:
    return user if isinstance(user, AuthUser) else None


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


def _prospective_status(sub: SubIndicator, *, value: Decimal, date: dt.date) -> rules.Assessment:
    """The assessment the sub-indicator would get if ``value`` were its current value."""
    if sub.aggregation == SubIndicator.Aggregation.SUM:
        earlier = Measurement.objects.filter(sub_indicator=sub, date__lte=date)
        value = value + sum((m.value for m in earlier), Decimal(0))
    return rules.assess(
        target_of(sub),
        value=value,
        value_date=date,
        as_of=date,
        thresholds=plan_thresholds(plan=sub.plan),
    )


def _require_comment_when_off_track(
    sub: SubIndicator, *, value: Decimal, date: dt.date, note: str
) -> None:
    assessment = _prospective_status(sub, value=value, date=date)
    if assessment.status == rules.OFF_TRACK and not note.strip():
        raise MonitoringError(
            _(
                "With this value the sub-indicator %(code)s is off track; explain why in the "
                "note. (%(explanation)s)"
            )
            % {"code": sub.code, "explanation": assessment.explanation}
        )


def _check_value(sub: SubIndicator, value: Decimal) -> None:
    if sub.kind == SubIndicator.Kind.MILESTONE and value not in (0, 1):
        raise MonitoringError(_("A milestone is 0 (not yet) or 1 (achieved)."))
    if sub.source != SubIndicator.Source.MEASURED:
        raise MonitoringError(
            _("The sub-indicator %(code)s is computed; its values cannot be entered.")
            % {"code": sub.code}
        )


@transaction.atomic
def measurement_record(
    *,
    sub_indicator: SubIndicator,
    date: dt.date,
    value: Decimal,
    user: User | None,
    note: str = "",
    period_start: dt.date | None = None,
    final: bool = False,
) -> Measurement:
    """Store a new measured value; a value that puts the indicator off track needs a note."""
    _check_value(sub_indicator, value)
    if period_start is not None and period_start > date:
        raise MonitoringError(_("The period cannot end before it starts."))
    _require_comment_when_off_track(sub_indicator, value=value, date=date, note=note)
    return Measurement.objects.create(
        plan_id=sub_indicator.plan_id,
        sub_indicator=sub_indicator,
        date=date,
        period_start=period_start,
        value=value,
        note=note,
        status="final" if final else "provisional",
        entered_by=_account(user),
    )


@transaction.atomic
def measurement_change(
    *,
    measurement: Measurement,
    date: dt.date,
    value: Decimal,
    user: User | None,
    note: str,
    final: bool,
    reason: str = "",
) -> Measurement:
    """Change a value; when it was final, keep the old content with who changed it and why."""
    locked = (
        Measurement.objects.select_for_update()
        .select_related("sub_indicator__plan")
        .get(pk=measurement.pk)
    )
    sub = locked.sub_indicator
    _check_value(sub, value)
    _require_comment_when_off_track(sub, value=value, date=date, note=note)
    if locked.status == "final":
        if not reason.strip():
            raise MonitoringError(
                _("The value is final; say why it changes (the old value is kept in history).")
            )
        MeasurementRevision.objects.create(
            plan_id=locked.plan_id,
            measurement=locked,
            old_date=locked.date,
            old_value=locked.value,
            old_status=locked.status,
            old_note=locked.note,
            changed_by=_account(user),
            reason=reason.strip(),
        )
    locked.date = date
    locked.value = value
    locked.note = note
    locked.status = "final" if final else "provisional"
    locked.save()
    return locked
