"""The public reports archive: approved (frozen) reports of a plan and their stored files.

Only a report with an approval date is frozen; its files (and their SHA-256) were stored
when it was approved and never change (:func:`smartplan.reports.services.report_approve`).
A draft has no stored file and is never listed or served here.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Length

from smartplan.plans.models import Plan
from smartplan.reports.models import Report, ReportFile

# The formats the public may download (the stored HTML preview is for staff).
PUBLIC_FORMATS = ("pdf", "docx")


def approved_reports(*, plan: Plan) -> QuerySet[Report]:
    """The approved reports of ``plan``, newest first, each with its public files
    (``report.public_files``: format, hash and size, without the content), in 2 queries."""
    files = (
        ReportFile.objects.filter(format__in=PUBLIC_FORMATS)
        .defer("content")
        .annotate(size=Length("content"))
        .order_by("format")
    )
    return (
        Report.objects.filter(plan=plan, approved_on__isnull=False)
        .prefetch_related(Prefetch("files", queryset=files, to_attr="public_files"))
        .order_by("-year", "-quarter", "kind")
    )


def approved_report_file(*, plan: Plan, report_id: int, fmt: str) -> ReportFile | None:
    """The stored ``fmt`` file of an approved report of ``plan`` (its content deferred),
    or None for a draft, another plan's report or a format the public does not get."""
    if fmt not in PUBLIC_FORMATS:
        return None
    return (
        ReportFile.objects.filter(
            report_id=report_id,
            report__plan=plan,
            report__approved_on__isnull=False,
            format=fmt,
        )
        .select_related("report")
        .defer("content")
        .first()
    )


def report_file_content(*, report_file: ReportFile) -> bytes:
    """The stored bytes of ``report_file``, exactly as approved."""
    content = ReportFile.objects.filter(pk=report_file.pk).values_list("content", flat=True).get()
    return bytes(content)
