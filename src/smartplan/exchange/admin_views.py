"""Import and export in the editing interface: download the plan's workbook or the empty
template, upload a workbook or a CSV of measurements, see the preview, confirm."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.core.errors import SmartplanError
from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.upload_store import upload_dir, upload_discard, upload_find, upload_save
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.plans.models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (XLSX) or measurements (CSV)"))
    replace = forms.BooleanField(
        label=gettext_lazy("Also remove rows the workbook no longer has"), required=False
    )
    create_missing = forms.BooleanField(
        label=gettext_lazy("Create areas, organisations, departments and funding sources it names"),
        required=False,
    )


def _plan_for(request: HttpRequest, plan_id: int, perm: str) -> Plan:
    """The plan, when the user may ``perm`` it (``plans.export_plan``, ``plans.import_plan``)."""
    plan = get_object_or_404(Plan, pk=plan_id)
    if not request.user.has_perm(perm, plan):
        raise PermissionDenied
    return plan


def plan_export(request: HttpRequest, plan_id: int) -> FileResponse:
    plan = _plan_for(request, plan_id, "plans.export_plan")
    target = upload_dir() / f"export-{secrets.token_hex(8)}.xlsx"
    plan_workbook_save(plan=plan, target=target)
    response = FileResponse(
        target.open("rb"), as_attachment=True, filename=f"{plan.slug}.xlsx", content_type=XLSX
    )
    target.unlink()  # the open handle keeps the data until the response is sent
    return response


def template_export(request: HttpRequest) -> FileResponse:
    target = upload_dir() / f"template-{secrets.token_hex(8)}.xlsx"
    plan_workbook_save(plan=None, target=target)
    response = FileResponse(
        target.open("rb"), as_attachment=True, filename="smartplan-sablona.xlsx", content_type=XLSX
    )
    target.unlink()
    return response


def _run(
    plan: Plan,
    path: Path,
    *,
    dry_run: bool,
    replace: bool,
    create_missing: bool,
    user: Any = None,
    label: str = "",
    source_name: str | None = None,
) -> list[str]:
    if path.suffix.lower() == ".csv":
        result = measurements_import(plan=plan, path=path, dry_run=dry_run, user=user, label=label)
        return [
            _("Measurements: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        ]
    report = workbook_import(
        path=path,
        plan_slug=plan.slug,
        dry_run=dry_run,
        replace=replace,
        create_missing=create_missing,
        label=label,
        source_name=source_name,
    )
    return report.lines()


def plan_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Upload → preview (a dry run) → confirm; problems are listed, nothing is written."""
    plan = _plan_for(request, plan_id, "plans.import_plan")
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "plan": plan,
        "title": _("Import into “%(plan)s”") % {"plan": plan},
    }
    if request.method == "POST" and request.POST.get("token"):
        stored = upload_find(request.POST["token"])
        options: dict[str, Any] = {
            "replace": request.POST.get("replace") == "1",
            "create_missing": request.POST.get("create_missing") == "1",
        }
        if stored is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("admin:plans_plan_import", plan_id=plan.pk)
        try:
            # The history's change set is named after the file as it was uploaded.
            lines = _run(
                plan,
                stored.path,
                dry_run=False,
                user=request.user,
                label=stored.name[:255],
                source_name=stored.name,
                **options,
            )
        except SmartplanError as exc:
            context.update(form=WorkbookUploadForm(), problems=_problems(exc))
            return render(request, "admin/exchange/import.html", context, status=400)
        finally:
            upload_discard(stored.token)
        messages.success(request, _("Imported. %(summary)s") % {"summary": " ".join(lines[:3])})
        return redirect("admin:plans_plan_change", plan.pk)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = upload_save(upload, name=upload.name)
        options = {
            "replace": form.cleaned_data["replace"],
            "create_missing": form.cleaned_data["create_missing"],
        }
        try:
            preview = _run(
                plan,
                stored.path,
                dry_run=True,
                user=request.user,
                source_name=stored.name,
                **options,
            )
        except SmartplanError as exc:
            upload_discard(stored.token)
            context["problems"] = _problems(exc)
            return render(request, "admin/exchange/import.html", context, status=400)
        except BaseException:
            upload_discard(stored.token)
            raise
        context.update(
            preview=preview,
            token=stored.token,
            file_name=slugify(upload.name) or upload.name,
            replace="1" if options["replace"] else "",
            create_missing="1" if options["create_missing"] else "",
        )
    return render(request, "admin/exchange/import.html", context)


def _problems(exc: SmartplanError) -> list[str]:
    if isinstance(exc, ImportRefusedError):
        return [exc.message.splitlines()[0], *(str(p) for p in exc.problems)]
    return [str(exc)]
