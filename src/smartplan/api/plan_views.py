"""The plans the reader may see (``/api/v1/plans/``), each the root of its registers."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smartplan.api import keyset
from smartplan.api.object_permissions import object_permitted
from smartplan.api.register_views import (
    KeysetPagination,
    ReadsOpenWritesLoggedIn,
    etag_of_version,
)
from smartplan.core.access_scope import rows_permitted
from smartplan.plans.models import Plan
from smartplan.reports.models import ReportFile
from smartplan.reports.services import ReportError, report_format

PLAN_FIELDS = (
    "id",
    "version",
    "slug",
    "name",
    "territory_kind",
    "territory_name",
    "ruian_code",
    "owner",
    "coordinator",
    "period_from",
    "period_to",
    "concept_name",
    "concept_url",
    "vision",
    "description",
    "published",
)


class PlanSerializer(serializers.ModelSerializer[Plan]):
    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)


def _plan_rows(queryset: Any) -> list[dict[str, Any]]:
    rows = list(
        queryset.values(
            *[f"{n}_id" if n in ("owner", "coordinator") else n for n in PLAN_FIELDS], "updated_at"
        )
    )
    for row in rows:
        row["owner"] = row.pop("owner_id")
        row["coordinator"] = row.pop("coordinator_id")
    return rows


@extend_schema_view(
    list=extend_schema(summary="List plans", tags=["plans"]),
    retrieve=extend_schema(summary="One plan", tags=["plans"]),
)
class PlanViewSet(viewsets.GenericViewSet[Plan]):
    """The plans the reader may see, by slug."""

    serializer_class = PlanSerializer
    permission_classes = [ReadsOpenWritesLoggedIn]
    pagination_class = KeysetPagination
    lookup_field = "slug"
    lookup_url_kwarg = "plan"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> Any:
        return rows_permitted(self.request.user, Plan.objects.all(), "view")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        limit = keyset.limit_parse(request.query_params.get("limit"))
        ordering = keyset.ordering_parse(None, default=("id",), allowed={})
        queryset = self.get_queryset()
        if cursor := request.query_params.get("cursor"):
            queryset = keyset.after(
                queryset, ordering, keyset.cursor_decode(Plan, ordering, cursor)
            )
        rows = _plan_rows(queryset.order_by("id")[: limit + 1])
        following = None
        if len(rows) > limit:
            rows = rows[:limit]
            query = request.query_params.copy()
            query["cursor"] = keyset.cursor_encode(ordering, rows[-1])
            following = request.build_absolute_uri("?" + query.urlencode())
        for row in rows:
            del row["updated_at"]
        return Response({"next": following, "results": rows})

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = get_object_or_404(Plan, slug=kwargs["plan"])
        if not object_permitted(request.user, "plans.view_plan", plan):
            raise exceptions.NotFound()
        [row] = _plan_rows(Plan.objects.filter(pk=plan.pk))
        updated = row.pop("updated_at")
        return Response(
            row,
            headers={
                "ETag": etag_of_version(row["version"]),
                "Last-Modified": http_date(updated.timestamp()),
            },
        )


class ReportFileView(APIView):
    """A stored (approved) report file."""

    permission_classes = [ReadsOpenWritesLoggedIn]

    @extend_schema(
        summary="A stored report file",
        tags=["reports"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, plan: str, pk: int, fmt: str) -> HttpResponse:
        stored = get_object_or_404(
            ReportFile.objects.select_related("report"),
            plan__slug=plan,
            report_id=pk,
            format=fmt,
        )
        if not object_permitted(request.user, "reports.view_reportfile", stored):
            raise exceptions.NotFound()
        response = HttpResponse(bytes(stored.content), content_type=_content_type(fmt))
        response["Content-Disposition"] = f'attachment; filename="report-{pk}.{fmt}"'
        response["ETag"] = f'"{stored.sha256}"'
        return response


def _content_type(fmt: str) -> str:
    try:
        return str(report_format(fmt).content_type)
    except ReportError:  # an unknown stored format is served as bytes
        return "application/octet-stream"
