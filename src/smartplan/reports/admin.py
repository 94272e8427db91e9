from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.core.admin_extensions import plan_link_add
from smartplan.core.errors import SmartplanError
from smartplan.core.plan_admin import PlanScopedAdmin
from smartplan.reports.models import Report, ReportJob
from smartplan.reports.report_jobs import (
    BACKGROUND_FORMATS,
    report_approval_request,
    report_job_request,
)
from smartplan.reports.services import report_format, report_render


class ApproveForm(forms.Form):
    approved_by = forms.CharField(label=gettext_lazy("Approved by"), initial="Řídící skupina")
    approved_on = forms.DateField(
        label=gettext_lazy("Approved on"), localize=True, initial=dt.date.today
    )


@admin.register(Report)
class ReportAdmin(PlanScopedAdmin):
    list_display = ("__str__", "plan", "year_display", "quarter", "approved_on", "downloads")
    list_filter = ("kind", "year")
    search_fields = ("introduction", "evaluation")
    list_select_related = ("plan",)
    fields = (
        "plan",
        "kind",
        "year",
        "quarter",
        "introduction",
        "evaluation",
        "approved_by",
        "approved_on",
        "downloads",
    )
    readonly_fields = ("approved_by", "approved_on", "downloads")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.frozen:
            return [f for f in self.fields if f != "downloads"] + ["downloads"]
        return self.readonly_fields

    @admin.display(description=gettext_lazy("year"), ordering="year")
    def year_display(self, report: Report) -> str:
        return str(report.year)

    @admin.display(description=gettext_lazy("files"))
    def downloads(self, report: Report) -> SafeString:
        if not report.pk:
            return format_html("{}", _("Save the report first."))
        links = [
            (reverse("admin:reports_report_file", args=[report.pk, fmt]), label)
            for fmt, label in (("html", _("preview")), ("pdf", "PDF"), ("docx", "DOCX"))
        ]
        approve = (
            ""
            if report.frozen
            else format_html(
                " · <a href='{}'>{}</a>",
                reverse("admin:reports_report_approve", args=[report.pk]),
                _("approve and freeze"),
            )
        )
        return format_html("{}{}", format_html_join(" · ", "<a href='{}'>{}</a>", links), approve)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/file/<str:fmt>/", wrap(self.file_view), name="reports_report_file"),
            path("<int:pk>/approve/", wrap(self.approve_view), name="reports_report_approve"),
            path("<int:pk>/job/<int:job>/", wrap(self.job_view), name="reports_report_job"),
            path(
                "<int:pk>/job/<int:job>/file/",
                wrap(self.job_file_view),
                name="reports_report_job_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        """The preview, an approved report's stored file, or a request to make the file.

        PDF and DOCX of a report that is not frozen are made by the report worker: a large
        plan's report takes longer than a web request may last.
        """
        report = _report_for(request, pk, "reports.view_report")
        try:
            if fmt in BACKGROUND_FORMATS and not report.frozen:
                job = report_job_request(report=report, fmt=fmt)
                return redirect("admin:reports_report_job", pk, job.pk)
            content = report_render(report=report, fmt=fmt)
        except SmartplanError as exc:
            messages.error(request, str(exc))
            return redirect("admin:reports_report_change", pk)
        return _file_response(report, fmt, content)

    def job_view(self, request: HttpRequest, pk: int, job: int) -> HttpResponse:
        _report_for(request, pk, "reports.view_report")
        found = get_object_or_404(
            ReportJob.objects.defer("content").select_related("report"), pk=job, report_id=pk
        )
        download_url = reverse("admin:reports_report_job_file", args=[pk, job])
        pending = found.state in (ReportJob.State.QUEUED, ReportJob.State.RUNNING)
        approval = found.format == ReportJob.APPROVAL
        download = found.state == ReportJob.State.DONE and not approval
        if approval:
            title = _("Approval of %(report)s") % {"report": found.report}
        else:
            title = f"{found.report} – {found.format.upper()}"
        context = {
            **self.admin_site.each_context(request),
            "job": found,
            "approval": approval,
            "title": title,
            "download_url": download_url,
            "again_url": reverse("admin:reports_report_file", args=[pk, found.format]),
            "report_url": reverse("admin:reports_report_change", args=[pk]),
            # Look again every 3 s; once ready, start the download.
            "refresh": "3" if pending else (f"0;url={download_url}" if download else ""),
        }
        return render(request, "admin/reports/job.html", context)

    def job_file_view(self, request: HttpRequest, pk: int, job: int) -> HttpResponse:
        _report_for(request, pk, "reports.view_report")
        found = get_object_or_404(
            ReportJob.objects.select_related("report__plan"),
            pk=job,
            report_id=pk,
            state=ReportJob.State.DONE,
        )
        return _file_response(found.report, found.format, bytes(found.content or b""))

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Approving renders and stores every format: the report worker does it."""
        report = _report_for(request, pk, "reports.approve_report")
        form = ApproveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = report_approval_request(report=report, **form.cleaned_data)
            except SmartplanError as exc:
                messages.error(request, str(exc))
                return redirect("admin:reports_report_change", pk)
            return redirect("admin:reports_report_job", pk, job.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "title": _("Approve %(report)s") % {"report": report},
        }
        return render(request, "admin/reports/approve.html", context)


def _report_for(request: HttpRequest, pk: int, perm: str) -> Report:
    """The report, when the user may ``perm`` it (view it and its files, approve it)."""
    report = get_object_or_404(Report.objects.select_related("plan"), pk=pk)
    if not request.user.has_perm(perm, report):
        raise PermissionDenied
    return report


def _file_response(report: Report, fmt: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=report_format(fmt).content_type)
    if fmt != "html":
        quarter = f"-q{report.quarter}" if report.quarter else ""
        name = f"{report.plan.slug}-{report.kind}-{report.year}{quarter}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


plan_link_add(
    label=gettext_lazy("Annual and quarterly reports"),
    url=lambda plan: reverse("admin:reports_report_changelist") + f"?plan__id__exact={plan.pk}",
    group="monitoring",
)
