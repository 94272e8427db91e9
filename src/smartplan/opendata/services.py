"""Writes of the open data app: counting a download, storing and answering feedback."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from smartplan.opendata.models import DownloadCount, Feedback
from smartplan.plans.models import Plan


def download_count_add(*, plan: Plan, dataset: str, fmt: str) -> None:
    """Count one download of a distribution: one conditional ``UPDATE`` with
    ``F("count") + 1`` (concurrent downloads never lose a count); the first download
    creates the row."""
    rows = DownloadCount.objects.filter(plan=plan, dataset=dataset, format=fmt)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(plan=plan, dataset=dataset, format=fmt, count=1)
    except IntegrityError:  # another request created it in between
        rows.update(count=F("count") + 1)


@transaction.atomic
def feedback_create(
    *, plan: Plan, dataset: str, message: str, name: str = "", email: str = ""
) -> Feedback:
    """Store a problem reported on a dataset, for the plan's coordinator."""
    return Feedback.objects.create(
        plan=plan, dataset=dataset, message=message.strip(), name=name.strip(), email=email
    )


@transaction.atomic
def feedback_answer(*, feedback: Feedback, answer: str, user: Any) -> Feedback:
    """Record the coordinator's answer: the text, who and when; the state becomes answered."""
    feedback.answer = answer.strip()
    feedback.state = Feedback.State.ANSWERED
    feedback.answered_at = timezone.now()
    feedback.answered_by = user
    feedback.save()
    return feedback
