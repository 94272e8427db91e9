"""The "Export XLSX / CSV" page of every register list (added to the admin in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from smartplan.core.access_scope import rows_permitted
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
    if sheet is None or found is None:
        raise Http404
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    try:
        changelist = model_admin.get_changelist_instance(request)
        listed = changelist.get_queryset(request).values("pk")
        # Asked here, so a filter the database cannot read is answered now, in Czech.
        list(listed[:1])
    except (IncorrectLookupParameters, ValidationError, FieldError, ValueError, TypeError):
        return HttpResponseBadRequest(
            _("The list's filter cannot be read (%(query)s); remove it and export again.")
            % {"query": request.GET.urlencode()},
            content_type="text/plain; charset=utf-8",
        )
    rows = rows_permitted(request.user, register_rows(sheet, None), "view").filter(pk__in=listed)
    name = slugify(str(model._meta.verbose_name_plural))
    return HttpResponse(
        found.render(sheet, rows),
        content_type=found.content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
