"""Import and export in the editing interface: download the plan's workbook or the empty
template, upload a workbook or a CSV of measurements, see the preview, confirm."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.core.errors import SmartplanError
from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.mapping_form import MappingForm
from smartplan.exchange.mapping_proposal import Mapping, mapping_propose
from smartplan.exchange.mapping_store import saved_mapping_find, saved_mappings_list
from smartplan.exchange.mapping_targets import TARGETS
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.plan_import import workbook_import, workbook_rows
from smartplan.exchange.table_files import TableFormat, read_tables, table_format
from smartplan.exchange.table_import import MappingNeededError, table_import, table_pick
from smartplan.exchange.upload_store import (
    StoredUpload,
    upload_dir,
    upload_discard,
    upload_find,
    upload_save,
)
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.plans.models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _register_choices() -> list[tuple[str, str]]:
    return [("", _("the plan's workbook, or guess from the columns"))] + [
        (code, target.label) for code, target in TARGETS.items()
    ]


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (XLSX) or measurements (CSV)"))
    register = forms.ChoiceField(
        label=gettext_lazy("A table in its own layout: import into"),
        choices=_register_choices,
        required=False,
    )
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
        result = measurements_import(
            plan=plan,
            path=path,
            dry_run=dry_run,
            user=user,
            label=label,
            source_name=source_name,
        )
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
        "saved_mappings": [
            (TARGETS[m.register].label if m.register in TARGETS else m.register, m)
            for m in saved_mappings_list(plan=plan)
        ],
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
        if request.POST.get("register"):
            return _mapped_step(request, plan, stored, context)
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
        register = form.cleaned_data["register"]
        try:
            if register or not _plan_file(stored):
                context["create_missing"] = "1" if options["create_missing"] else ""
                return _mapping_start(request, plan, stored, register, context)
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


def _plan_file(stored: StoredUpload) -> bool:
    """A plan workbook (sheets of the export, or the report's stack table) or a CSV of
    measurements: imported as before; any other table goes through a column mapping."""
    if table_format(stored.path, source_name=stored.name) is TableFormat.CSV:
        return True
    rows, _layout = workbook_rows(stored.path, source_name=stored.name)
    return bool(rows.sheets or rows.plan_values)


def _proposal(plan: Plan, stored: StoredUpload, register: str, sheet: str | None = None) -> Mapping:
    tables = read_tables(stored.path, source_name=stored.name)
    data, target = table_pick(tables, TARGETS.get(register), sheet=sheet)
    return mapping_propose(data, target, plan=plan)


def _mapping_start(
    request: HttpRequest, plan: Plan, stored: StoredUpload, register: str, context: dict[str, Any]
) -> HttpResponse:
    """A table in its own layout: with a mapping saved for its headers, straight to the
    preview (saying which mapping was used); else the proposed mapping as a form."""
    proposal = _proposal(plan, stored, register)
    context.update(token=stored.token, register=proposal.target.code, sheet=proposal.sheet)
    saved = saved_mapping_find(
        plan=plan, register=proposal.target.code, signature=proposal.signature
    )
    if saved is None:
        return _mapping_form(request, MappingForm(proposal=proposal, plan=plan), context)
    result = table_import(
        path=stored.path,
        plan=plan,
        register=proposal.target.code,
        sheet=proposal.sheet,
        dry_run=True,
        create_missing=context["create_missing"] == "1",
        source_name=stored.name,
    )
    context.update(
        preview=result.report.lines(),
        file_name=stored.name,
        mapping_note=_(
            "Used the mapping saved for these columns (confirmed with %(file)s on %(date)s)."
        )
        % {"file": saved.source_name, "date": formats.date_format(saved.updated_at)},
        mapping_json="",
    )
    return render(request, "admin/exchange/import.html", context)


def _mapping_form(
    request: HttpRequest,
    form: MappingForm,
    context: dict[str, Any],
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context.update(
        mapping_form=form,
        problems=problems or [],
        target=form.proposal.target,
        registers=[(code, target.label) for code, target in TARGETS.items()],
    )
    return render(request, "admin/exchange/import_mapping.html", context, status=status)


def _mapped_step(
    request: HttpRequest, plan: Plan, stored: StoredUpload, context: dict[str, Any]
) -> HttpResponse:
    """The mapping form sent (check it, show the preview) or the preview confirmed
    (import, save the mapping for the plan, remove the upload)."""
    register = request.POST.get("register", "")
    if register not in TARGETS:
        raise PermissionDenied
    try:
        proposal = _proposal(plan, stored, register, request.POST.get("sheet") or None)
    except SmartplanError as exc:
        upload_discard(stored.token)
        context.update(form=WorkbookUploadForm(), problems=_problems(exc))
        return render(request, "admin/exchange/import.html", context, status=400)
    context.update(
        token=stored.token,
        register=register,
        sheet=proposal.sheet,
        create_missing="1" if request.POST.get("create_missing") == "1" else "",
    )
    if request.POST.get("step") == "confirm":
        return _mapped_confirm(request, plan, stored, proposal, context)
    if request.POST.get("step") == "start":  # another register chosen for the table
        return _mapping_form(request, MappingForm(proposal=proposal, plan=plan), context)
    form = MappingForm(request.POST, proposal=proposal, plan=plan)
    if not form.is_valid():
        return _mapping_form(request, form, context, status=400)
    chosen = form.mapping_data()
    try:
        result = table_import(
            path=stored.path,
            plan=plan,
            register=register,
            sheet=proposal.sheet,
            mapping=chosen,
            dry_run=True,
            create_missing=context["create_missing"] == "1",
            source_name=stored.name,
        )
    except SmartplanError as exc:
        return _mapping_form(request, form, context, _problems(exc), status=400)
    context.update(
        preview=result.report.lines(),
        file_name=stored.name,
        mapping_json=json.dumps(chosen, ensure_ascii=False),
        mapping_note=_(
            "After the import, this mapping is saved for the plan's next file "
            "with the same columns."
        ),
    )
    return render(request, "admin/exchange/import.html", context)


def _mapped_confirm(
    request: HttpRequest,
    plan: Plan,
    stored: StoredUpload,
    proposal: Mapping,
    context: dict[str, Any],
) -> HttpResponse:
    raw = request.POST.get("mapping") or ""
    try:
        chosen = json.loads(raw) if raw else None
    except ValueError:
        chosen = {}
    try:
        result = table_import(
            path=stored.path,
            plan=plan,
            register=proposal.target.code,
            sheet=proposal.sheet,
            mapping=chosen,
            create_missing=context["create_missing"] == "1",
            source_name=stored.name,
            label=stored.name[:255],
        )
    except MappingNeededError:
        # The saved mapping was removed meanwhile: the user confirms one again.
        return _mapping_form(request, MappingForm(proposal=proposal, plan=plan), context)
    except SmartplanError as exc:
        upload_discard(stored.token)
        context.update(form=WorkbookUploadForm(), problems=_problems(exc))
        return render(request, "admin/exchange/import.html", context, status=400)
    upload_discard(stored.token)
    lines = result.report.lines()
    messages.success(request, _("Imported. %(summary)s") % {"summary": " ".join(lines[:3])})
    if result.saved is not None:
        messages.info(
            request,
            _(
                "The mapping is saved for the plan; the next file with these columns goes "
                "straight to the preview."
            ),
        )
    return redirect("admin:plans_plan_change", plan.pk)


def _problems(exc: SmartplanError) -> list[str]:
    if isinstance(exc, ImportRefusedError):
        return [exc.message.splitlines()[0], *(str(p) for p in exc.problems)]
    return [str(exc)]
