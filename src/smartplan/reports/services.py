"""Writes and renderings of reports: generate in a format, approve (freeze), fetch."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.core.output_formats import OutputFormat, output_format, output_formats
from smartplan.core.problems import Problem
from smartplan.plans.models import Plan
from smartplan.reports.approval import report_approve_check
from smartplan.reports.models import Report, ReportFile
from smartplan.reports.report_data import ReportData, report_data

if TYPE_CHECKING:
    from smartplan.reports.charts import Chart

# The output-format family of reports (pdf, docx, html; registered in apps.py).
REPORT = "report"


class ReportError(SmartplanError):
    """A report cannot be made or changed as asked."""


def report_formats() -> list[str]:
    """The formats a report can be made in."""
    return [found.name for found in output_formats(family=REPORT)]


def report_format(fmt: str) -> OutputFormat:
    """The registered format ``fmt``; an unknown one is refused."""
    found = output_format(family=REPORT, name=fmt)
    if found is None:
        raise ReportError(
            _("Unknown format “%(fmt)s”; use %(formats)s.")
            % {"fmt": fmt, "formats": ", ".join(report_formats())}
        )
    return found


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
    report_format(fmt)
    if report.frozen:
        stored = ReportFile.objects.filter(report=report, format=fmt).first()
        if stored is None:
            raise ReportError(_("The approved report has no %(fmt)s file.") % {"fmt": fmt})
        return bytes(stored.content)
    return _render_fresh(report, fmt)


def _render_fresh(report: Report, fmt: str) -> bytes:
    from smartplan.reports.charts import report_charts  # matplotlib: loaded on use

    data = report_data(report=report)
    return _render_as(data, report_charts(data), fmt)


def _render_as(data: ReportData, charts: list[Chart], fmt: str) -> bytes:
    return report_format(fmt).render(data, charts)


def _refuse_on(problems: list[Problem]) -> None:
    if problems:
        raise ReportError("\n".join(problem.message for problem in problems))


def report_approve(
    *,
    report: Report,
    approved_by: str,
    approved_on: dt.date,
    within: Callable[[Report], None] | None = None,
) -> list[ReportFile]:
    """Freeze the report as approved: render every format once, store it with its hash.

    The rendering (minutes for a large plan) happens before the transaction that stores the
    files, so no write lock is held meanwhile; the approval is checked again under the lock.
    ``within`` runs inside that transaction, so what it writes (the report worker's job
    status) commits with the approval or not at all.
    """
    draft = Report.objects.get(pk=report.pk)
    _refuse_on(report_approve_check(report=draft, approved_by=approved_by))
    # The frozen files say who approved the report and when.
    draft.approved_by, draft.approved_on = approved_by.strip(), approved_on
    from smartplan.reports.charts import report_charts  # matplotlib: loaded on use

    data = report_data(report=draft)
    charts = report_charts(data)
    contents = {fmt: _render_as(data, charts, fmt) for fmt in report_formats()}
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
        if within is not None:
            within(locked)
    report.approved_by, report.approved_on = locked.approved_by, locked.approved_on
    return files
