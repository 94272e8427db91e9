"""The plan's workbook and the empty template as LibreOffice Calc (.ods) downloads, next to
the XLSX ones and with the same permission (``plans.export_plan`` on that plan).

The spreadsheet is written a row at a time to a file in the upload folder, not to memory,
and sent from there: the worker's memory stays flat however large the plan."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from smartplan.exchange.ods_writer import plan_ods_save
from smartplan.exchange.upload_store import upload_dir
from smartplan.plans.models import Plan

ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_response(plan: Plan | None, filename: str) -> HttpResponseBase:
    target = upload_dir() / f"export-{secrets.token_hex(8)}.ods"
    plan_ods_save(plan=plan, target=target)  # removes the file itself if writing fails
    response = FileResponse(
        target.open("rb"), as_attachment=True, filename=filename, content_type=ODS
    )
    target.unlink()  # the open handle keeps the data until the response is sent
    return response


def plan_export_ods(request: HttpRequest, plan_id: int) -> HttpResponseBase:
    """The plan's workbook as ODS, for a user who may export that plan."""
    plan = get_object_or_404(Plan, pk=plan_id)
    if not request.user.has_perm("plans.export_plan", plan):
        raise PermissionDenied
    return _ods_response(plan, f"{plan.slug}.ods")


def template_export_ods(request: HttpRequest) -> HttpResponseBase:
    """The empty template as ODS (no plan's data: anyone in the editing interface)."""
    return _ods_response(None, "smartplan-sablona.ods")
