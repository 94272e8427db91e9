"""The "Export XLSX / ODS / CSV" page of every register list (added to the admin in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import prepare_lookup_value
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import DataError
from django.db.models import Model, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from django.utils.translation import gettext as _

from smartplan.core.access_scope import rows_permitted
from smartplan.core.output_formats import output_format

REGISTER = "register"  # the output-format family of single registers (xlsx, ods, csv)


def register_exportable(model: type[Model]) -> bool:
    """Whether the register has a sheet, so its list offers the export buttons."""
    from smartplan.exchange.registers import sheet_for_model

    return sheet_for_model(model) is not None


_NOT_FILTERS = {
    ALL_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    ERROR_FLAG,
    "_popup",
    "_to_field",
    "_facets",
    "_changelist_filters",
}


def _filters_check(model: type[Model], request: HttpRequest) -> None:
    """Each filter of the list's address read as the database would read it: the admin list
    quietly drops some it cannot read (``?plan__id__exact=abc``); an export must not, or
    the file would hold rows the user filtered out. Raises ValueError and the like."""
    for key, values in request.GET.lists():
        if key in _NOT_FILTERS:
            continue
        for value in values:
            model._default_manager.none().filter(**{key: prepare_lookup_value(key, value, ",")})
            if key.endswith(("__id__exact", "_id__exact", "__pk__exact")) and not (
                value.isdigit() and len(value) < 19
            ):
                raise ValueError(key)


def _as_listed(rows: QuerySet[Any], listed: QuerySet[Any]) -> QuerySet[Any]:
    """``rows`` (the register in its order) restricted to the rows the list shows.

    The list's conditions are added to the export's own query when they are plain filters:
    the database then reads them row by row as it streams. ``pk IN (the list's query)``,
    needed when the list counts, groups or removes duplicates, is read whole before the
    first row (SQLite: 1 s for a million measurements)."""
    query = listed.query
    if (
        query.model is not rows.model
        or query.annotations
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.group_by is not None
        or query.extra
        or query.extra_tables
    ):
        return rows.filter(pk__in=listed.values("pk"))
    if not query.where:  # the list shows the whole register
        return rows
    return rows & listed.order_by()


def register_export(request: HttpRequest, model_admin: Any, fmt: str) -> HttpResponseBase:
    """The register as its list shows it (same filters and search), as XLSX, ODS or CSV."""
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
        _filters_check(model, request)
        changelist = model_admin.get_changelist_instance(request)
        listed = changelist.get_queryset(request)
        # Asked here, so a filter the database cannot read is answered now, in Czech.
        list(listed.values("pk")[:1])
    except (
        IncorrectLookupParameters,
        ValidationError,
        FieldError,
        ValueError,
        TypeError,
        OverflowError,
        DataError,
    ):
        return HttpResponseBadRequest(
            _("The list's filter cannot be read (%(query)s); remove it and export again.")
            % {"query": request.GET.urlencode()},
            content_type="text/plain; charset=utf-8",
        )
    rows = _as_listed(rows_permitted(request.user, register_rows(sheet, None), "view"), listed)
    name = slugify(str(model._meta.verbose_name_plural))
    disposition = f'attachment; filename="{name}.{fmt}"'
    if fmt == "csv":
        # Streamed from the database cursor: first byte at once, memory of one chunk.
        from smartplan.exchange.register_stream import register_csv_chunks

        return StreamingHttpResponse(
            register_csv_chunks(sheet, rows),
            content_type=found.content_type,
            headers={"Content-Disposition": disposition},
        )
    return HttpResponse(
        found.render(sheet, rows),
        content_type=found.content_type,
        headers={"Content-Disposition": disposition},
    )
