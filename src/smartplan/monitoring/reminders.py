"""E-mail reminders of values that are due soon or overdue; each goes out exactly once.

A reminder is claimed by inserting its ReminderLog row (unique per sub-indicator, due date
and kind) before the e-mail is sent, so runs that overlap cannot both send it; a failed
send releases the claim so that the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_date
from smartplan.monitoring.current_states import plans_states_current
from smartplan.monitoring.models import MonitoringSettings, ReminderLog, SubIndicatorState
from smartplan.plans.models import Plan

logger = logging.getLogger(__name__)
DEFAULT_DAYS_BEFORE = 14


@dataclass
class ReminderRun:
    sent: int = 0
    already_sent: int = 0
    without_recipient: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Due:
    state: SubIndicatorState
    due: dt.date
    kind: str
    recipient: str


def _due_items(today: dt.date) -> list[_Due]:
    days_before = dict(MonitoringSettings.objects.values_list("plan_id", "remind_days_before"))
    states = SubIndicatorState.objects.filter(next_due__isnull=False).select_related(
        "sub_indicator__indicator__responsible_person__user", "plan"
    )
    items = []
    for state in states:
        due = state.next_due
        assert due is not None
        window = dt.timedelta(days=days_before.get(state.plan_id, DEFAULT_DAYS_BEFORE))
        if today > due:
            kind = ReminderLog.Kind.OVERDUE
        elif today >= due - window:
            kind = ReminderLog.Kind.UPCOMING
        else:
            continue
        person = state.sub_indicator.indicator.responsible_person
        email = ""
        if person is not None:
            email = person.email or (person.user.email if person.user else "")
        items.append(_Due(state, due, kind, email))
    return items


def _claim(item: _Due) -> ReminderLog | None:
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(
                plan_id=item.state.plan_id,
                sub_indicator_id=item.state.sub_indicator_id,
                due_date=item.due,
                kind=item.kind,
                recipient=item.recipient,
            )
    except IntegrityError:
        return None


def _message(plan: Plan, items: list[_Due]) -> tuple[str, str]:
    overdue = any(item.kind == ReminderLog.Kind.OVERDUE for item in items)
    subject = (
        _("smartplan: indicator values are overdue")
        if overdue
        else _("smartplan: indicator values are due soon")
    )
    lines = [
        _("Good day,"),
        "",
        _("in the plan “%(plan)s” these values are due:") % {"plan": plan},
        "",
    ]
    for item in items:
        sub = item.state.sub_indicator
        due = format_date(item.due)
        label = _("overdue since %(date)s") if item.kind == "overdue" else _("due on %(date)s")
        link = settings.BASE_URL + reverse("monitoring:measurement-add", args=[sub.pk])
        lines.append(f"- {sub.code} {sub.name}: {label % {'date': due}}")
        lines.append(f"  {link}")
    lines += ["", _("Thank you. This message was sent by smartplan.")]
    return subject, "\n".join(lines)


def reminders_send(*, today: dt.date | None = None) -> ReminderRun:
    """Send every due reminder not sent before; safe to run often and in parallel."""
    today = today or timezone.localdate()
    plans_states_current()  # due dates come from the stored states
    run = ReminderRun()
    claimed: dict[tuple[int, str], list[tuple[_Due, ReminderLog]]] = defaultdict(list)
    for item in _due_items(today):
        if not item.recipient:
            run.without_recipient += 1
            continue
        log = _claim(item)
        if log is None:
            run.already_sent += 1
            continue
        claimed[(item.state.plan_id, item.recipient)].append((item, log))
    with translation.override(settings.LANGUAGE_CODE):
        for (_plan_id, recipient), pairs in claimed.items():
            subject, body = _message(pairs[0][0].state.plan, [item for item, _log in pairs])
            logs = [log for _item, log in pairs]
            try:
                send_mail(subject, body, None, [recipient])
            except Exception:
                logger.exception("Reminder to %s failed", recipient)
                ReminderLog.objects.filter(pk__in=[log.pk for log in logs]).delete()
                run.failed += len(logs)
                continue
            ReminderLog.objects.filter(pk__in=[log.pk for log in logs]).update(
                sent_at=timezone.now()
            )
            run.sent += len(logs)
    return run
