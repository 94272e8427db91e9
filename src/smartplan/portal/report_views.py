"""The public reports archive and the download of an approved report's stored file."""

from __future__ import annotations

import base64

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _

from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_reports import (
    approved_report_file,
    approved_reports,
    report_file_content,
)
from smartplan.reports.services import report_format


def reports(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = public_plan_get(slug=plan_slug)
    return render(
        request,
        "portal/reports.html",
        {"plan": plan, "reports": list(approved_reports(plan=plan))},
    )


def report_file(request: HttpRequest, plan_slug: str, report_id: int, fmt: str) -> HttpResponse:
    """The approved report's file byte for byte, as stored when it was approved.

    Its SHA-256 is the ETag (a frozen file never changes), and ``Repr-Digest`` (RFC 9530)
    carries it too, so a client can check the bytes it received against the archive page.
    """
    plan = public_plan_get(slug=plan_slug)
    found = approved_report_file(plan=plan, report_id=report_id, fmt=fmt)
    if found is None:
        raise Http404(_("No approved report has this file."))
    etag = f'"{found.sha256}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, public=True, max_age=86400)
        return not_modified
    content = report_file_content(report_file=found)
    response = HttpResponse(content, content_type=report_format(fmt).content_type)
    report = found.report
    quarter = f"-q{report.quarter}" if report.quarter else ""
    name = f"{plan.slug}-{report.kind}-{report.year}{quarter}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = etag
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode("ascii")
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    patch_cache_control(response, public=True, max_age=86400)
    return response
