"""REST API, version 1. Machine clients push observations and read series."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from smartplan.api.permissions import CanWriteObservations
from smartplan.api.serializers import (
    ImportResultSerializer,
    ObservationInSerializer,
    ObservationOutSerializer,
    ObservationSeriesSerializer,
    ProblemSerializer,
)
from smartplan.core.problems import ImportRefusedError
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.observations.services import ObservationRow, observations_store
from smartplan.plans.models import Plan

MAX_ITEMS = 10_000


class SeriesList(generics.ListAPIView[ObservationSeries]):
    """Observation series of a plan."""

    serializer_class = ObservationSeriesSerializer

    def get_queryset(self) -> QuerySet[ObservationSeries]:
        plan = get_object_or_404(Plan, slug=self.kwargs["plan"])
        return ObservationSeries.objects.filter(plan=plan).order_by("code")


class Observations(generics.ListAPIView[Observation]):
    """Read observations of a plan (``?series=CODE``), or send new ones."""

    serializer_class = ObservationOutSerializer
    permission_classes = [CanWriteObservations]

    def get_queryset(self) -> QuerySet[Observation]:
        plan = get_object_or_404(Plan, slug=self.kwargs["plan"])
        queryset = Observation.objects.filter(plan=plan).select_related("series")
        if series := self.request.query_params.get("series"):
            queryset = queryset.filter(series__code=series)
        return queryset.order_by("series__code", "period_start")

    @extend_schema(
        request=ObservationInSerializer(many=True),
        responses={
            201: ImportResultSerializer,
            400: inline_serializer(
                "ObservationProblems",
                {"detail": serializers.CharField(), "problems": ProblemSerializer(many=True)},
            ),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create or update observations; one bad item refuses them all (nothing is written)."""
        plan = get_object_or_404(Plan, slug=kwargs["plan"])
        items = request.data if isinstance(request.data, list) else None
        if items is None or len(items) > MAX_ITEMS:
            return Response(
                {
                    "detail": f"Send a JSON list of at most {MAX_ITEMS} observations.",
                    "problems": [],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        incoming = ObservationInSerializer(data=items, many=True)
        if not incoming.is_valid():
            problems = [
                {
                    "index": index,
                    "field": field,
                    "value": _sent(items, index, field),
                    "message": " ".join(map(str, messages)),
                }
                for index, errors in _indexed(incoming.errors)
                for field, messages in errors.items()
            ]
            return Response({"detail": "Invalid observations.", "problems": problems}, status=400)
        rows = [
            ObservationRow(
                index, item["series"], item["period_start"], item["period_end"], item["value"]
            )
            for index, item in enumerate(incoming.validated_data)
        ]
        try:
            result = observations_store(plan=plan, rows=rows, source="API")
        except ImportRefusedError as refused:
            problems = [
                {"index": p.row, "field": p.column, "value": p.value, "message": p.message}
                for p in refused.problems
            ]
            return Response(
                {"detail": refused.message.splitlines()[0], "problems": problems}, status=400
            )
        return Response({"created": result.created, "updated": result.updated}, status=201)


def _indexed(errors: Any) -> list[tuple[int, dict[str, Any]]]:
    """DRF reports list errors as a list or as a dict keyed by position, by version."""
    pairs = errors.items() if isinstance(errors, dict) else enumerate(errors)
    return [(int(index), item) for index, item in pairs if item]


def _sent(items: list[Any], index: int, field: str) -> str | None:
    item = items[index] if index < len(items) else None
    return str(item.get(field, "")) if isinstance(item, dict) else None
