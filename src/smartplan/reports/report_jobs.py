"""Making report files in the background: ask for one, let the worker make it, fetch it.

The queue is a table: any number of workers may run, and a job is claimed with a
conditional update, so two workers never make the same file. A job whose worker died is
taken up again after ``STALE_AFTER``; finished jobs are deleted after ``KEEP_FOR``.

A job's state follows what committed: an approval and its job's "done" commit in one
transaction, so a worker killed after the approval leaves a finished job, and one killed
before leaves the report as it was and the job to be taken up again. A job left running by
an older worker whose approval had committed is found approved and finished, not failed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from smartplan.core.crash_points import crash_point
from smartplan.core.errors import SmartplanError
from smartplan.reports.models import Report, ReportJob
from smartplan.reports.services import ReportError, report_approve, report_render

log = logging.getLogger(__name__)
BACKGROUND_FORMATS = ("pdf", "docx")
STALE_AFTER = dt.timedelta(hours=1)
KEEP_FOR = dt.timedelta(days=1)
State = ReportJob.State


def _pending(report: Report, fmt: str) -> QuerySet[ReportJob]:
    """Requests of the report in ``fmt`` that wait or are being carried out."""
    return ReportJob.objects.filter(
        report=report, format=fmt, state__in=[State.QUEUED, State.RUNNING]
    )


def report_job_request(*, report: Report, fmt: str) -> ReportJob:
    """Ask for the report in ``fmt``; a request already waiting or running is reused."""
    if fmt not in BACKGROUND_FORMATS:
        raise ReportError(_("Unknown format “%(fmt)s”; use pdf or docx.") % {"fmt": fmt})
    with transaction.atomic():
        pending = _pending(report, fmt).select_for_update().first()
        return pending or ReportJob.objects.create(report=report, format=fmt)


def report_approval_request(*, report: Report, approved_by: str, approved_on: dt.date) -> ReportJob:
    """Ask for the report to be approved and frozen: the worker renders and stores its files."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.frozen or _pending(locked, ReportJob.APPROVAL).exists():
            raise ReportError(_("The report is already approved and frozen."))
        if not approved_by.strip():
            raise ReportError(_("Say who approved the report."))
        return ReportJob.objects.create(
            report=locked,
            format=ReportJob.APPROVAL,
            approved_by=approved_by,
            approved_on=approved_on,
        )


def _claim() -> ReportJob | None:
    now = timezone.now()
    candidates = ReportJob.objects.filter(state=State.QUEUED) | ReportJob.objects.filter(
        state=State.RUNNING, started_at__lt=now - STALE_AFTER
    )
    listed = candidates.order_by("requested_at", "pk").values_list("pk", "state", "started_at")
    for job_id, state, started_at in listed[:20]:
        # The claim holds only if nobody changed the job since it was listed: a stale running
        # job is taken over by one worker, not by every worker that saw it stale.
        claimed = ReportJob.objects.filter(pk=job_id, state=state, started_at=started_at).update(
            state=State.RUNNING, started_at=now
        )
        if claimed:
            return ReportJob.objects.select_related("report", "report__plan").get(pk=job_id)
    return None


def _approved_as_asked(job: ReportJob) -> bool:
    """Whether the report already carries the approval the job asks for (it committed)."""
    report = job.report
    return (
        report.frozen
        and report.approved_on == _approval_date(job)
        and report.approved_by == job.approved_by.strip()
    )


def _approval_date(job: ReportJob) -> dt.date:
    return job.approved_on or timezone.localdate(job.requested_at)


def _approve(job: ReportJob) -> None:
    def finish(_report: Report) -> None:
        # In the approval's transaction: the job is done exactly when the approval commits.
        ReportJob.objects.filter(pk=job.pk).update(
            state=State.DONE, error="", content=None, finished_at=timezone.now()
        )

    report_approve(
        report=job.report,
        approved_by=job.approved_by,
        approved_on=_approval_date(job),
        within=finish,
    )
    crash_point("after-approval-commit")


def report_job_run_next() -> ReportJob | None:
    """Make the oldest waiting file; None when there is nothing to do."""
    job = _claim()
    if job is None:
        return None
    try:
        if job.format == ReportJob.APPROVAL:
            if not _approved_as_asked(job):  # else a worker died after approving it
                _approve(job)
            content = None
        else:
            content = report_render(report=job.report, fmt=job.format)
    except SmartplanError as exc:
        job.state, job.error = State.FAILED, str(exc)
        if job.format == ReportJob.APPROVAL:
            job.report.refresh_from_db()
            if _approved_as_asked(job):  # a worker that took the job before us approved it
                job.state, job.error = State.DONE, ""
    except Exception:  # the worker must go on with the next job
        log.exception("Report job %s failed", job.pk)
        job.state, job.error = State.FAILED, _("An unexpected error; it has been logged.")
    else:
        job.state, job.content = State.DONE, content
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "content", "finished_at"])
    return job


def report_jobs_clean() -> int:
    """Delete finished jobs older than ``KEEP_FOR``; returns how many."""
    deleted, _per_model = ReportJob.objects.filter(
        state__in=[State.DONE, State.FAILED], finished_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    return deleted
