"""The "Export XLSX / CSV" page of every register list (added to the admin in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify

from smartplan.core.output_formats import output_format

REGISTER = "register"  # the output-format family of single registers (xlsx, csv)


def register_exportable(model: type[Model]) -> bool:
    """Whether the register has a sheet, so its list offers the export buttons."""
    from smartplan.exchange.registers import sheet_for_model

    return sheet_for_model(model) is not None


def register_export(request: HttpRequest, model_admin: Any, fmt: str) -> HttpResponse:
    """The register as its list shows it (same filters and search), as XLSX or CSV."""
    from smartplan.exchange.registers import sheet_for_model
    from smartplan.exchange.workbook_writer import register_rows

    model = model_admin.model
    sheet = sheet_for_model(model)
    found = output_format(family=REGISTER, name=fmt)
    if sheet is None or found is None or not model_admin.has_view_permission(request):
        raise Http404
    changelist = model_admin.get_changelist_instance(request)
    rows = register_rows(sheet, None).filter(pk__in=changelist.get_queryset(request).values("pk"))
    name = slugify(str(model._meta.verbose_name_plural))
    return HttpResponse(
        found.render(sheet, rows),
        content_type=found.content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
