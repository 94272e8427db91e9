"""Writes and renderings of reports: generate in a format, approve (freeze), fetch."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.core.problems import Problem
from smartplan.plans.models import Plan
from smartplan.reports.approval import report_approve_check
from smartplan.reports.charts import Chart, report_charts
from smartplan.reports.docx_renderer import render_docx
from smartplan.reports.html_renderer import render_html
from smartplan.reports.models import Report, ReportFile
from smartplan.reports.pdf_renderer import render_pdf
from smartplan.reports.report_data import ReportData, report_data

FORMATS = ("pdf", "docx", "html")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


class ReportError(SmartplanError):
    """A report cannot be made or changed as asked."""


def report_get_or_create(*, plan: Plan, kind: str, year: int, quarter: int | None = None) -> Report:
    """The report of a period; created empty (texts to be written) when missing."""
    if kind not in Report.Kind.values:
        raise ReportError(_("Unknown report kind “%(kind)s”.") % {"kind": kind})
    if kind == Report.Kind.QUARTERLY and quarter not in (1, 2, 3, 4):
        raise ReportError(_("A quarterly report needs a quarter 1–4."))
    report, _created = Report.objects.get_or_create(
        plan=plan, kind=kind, year=year, quarter=quarter if kind == Report.Kind.QUARTERLY else None
    )
    return report


def report_render(*, report: Report, fmt: str) -> bytes:
    """The report in ``fmt``; an approved report gives its frozen file, byte for byte."""
    if fmt not in FORMATS:
        raise ReportError(_("Unknown format “%(fmt)s”; use pdf, docx or html.") % {"fmt": fmt})
    if report.frozen:
        stored = ReportFile.objects.filter(report=report, format=fmt).first()
        if stored is None:
            raise ReportError(_("The approved report has no %(fmt)s file.") % {"fmt": fmt})
        return bytes(stored.content)
    return _render_fresh(report, fmt)


def _render_fresh(report: Report, fmt: str) -> bytes:
    data = report_data(report=report)
    return _render_as(data, report_charts(data), fmt)


def _render_as(data: ReportData, charts: list[Chart], fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(data, charts)
    if fmt == "docx":
        return render_docx(data, charts)
    return render_html(data, charts).encode("utf-8")


def _refuse_on(problems: list[Problem]) -> None:
    if problems:
        raise ReportError("\n".join(problem.message for problem in problems))


def report_approve(*, report: Report, approved_by: str, approved_on: dt.date) -> list[ReportFile]:
    """Freeze the report as approved: render every format once, store it with its hash.

    The rendering (minutes for a large plan) happens before the transaction that stores the
    files, so no write lock is held meanwhile; the approval is checked again under the lock.
    """
    draft = Report.objects.get(pk=report.pk)
    _refuse_on(report_approve_check(report=draft, approved_by=approved_by))
    # The frozen files say who approved the report and when.
    draft.approved_by, draft.approved_on = approved_by.strip(), approved_on
    data = report_data(report=draft)
    charts = report_charts(data)
    contents = {fmt: _render_as(data, charts, fmt) for fmt in FORMATS}
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        _refuse_on(report_approve_check(report=locked, approved_by=approved_by))
        locked.approved_by, locked.approved_on = draft.approved_by, draft.approved_on
        files = [
            ReportFile.objects.create(
                plan_id=locked.plan_id,
                report=locked,
                format=fmt,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
            for fmt, content in contents.items()
        ]
        locked.save(update_fields=["approved_by", "approved_on", "updated_at"])
    report.approved_by, report.approved_on = locked.approved_by, locked.approved_on
    return files
