"""Writes of monitoring: recomputing states, entering and changing measured values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.freshness import states_version_record, states_version_start
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.monitoring.selectors import plan_figures, plan_thresholds, target_of
from smartplan.plans.models import Plan


class MonitoringError(SmartplanError):
    """A measured value cannot be stored as given."""


User = AuthUser | AnonymousUser


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


def _account(user: User | None) -> AuthUser | None:
    return user if isinstance(user, AuthUser) else None


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
