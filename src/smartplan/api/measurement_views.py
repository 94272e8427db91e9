"""REST API, version 1: measured values, read and written through the measurement action.

A value sent for a sub-indicator and date that already has one changes it, by the same
rules as every other channel (a final value only with a reason, its old content kept).
Refusals are 400 with every problem, in Czech, each naming its field.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from smartplan.api.permissions import CanWriteMeasurements
from smartplan.api.serializers import (
    MeasurementChangeSerializer,
    MeasurementInSerializer,
    MeasurementOutSerializer,
    ProblemSerializer,
)
from smartplan.core.problems import ChangeRefusedError, Problem
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import KEEP, MeasurementEntry, SaveMeasurements
from smartplan.plans.models import Plan

PROBLEMS = inline_serializer(
    "MeasurementProblems",
    {"detail": serializers.CharField(), "problems": ProblemSerializer(many=True)},
)


def _refusal(problems: list[Problem], detail: str | None = None) -> Response:
    return Response(
        {
            "detail": detail or _("Nothing was saved."),
            "problems": [
                {
                    "index": None,
                    "field": problem.field or problem.column,
                    "value": None if problem.value in (None, "") else str(problem.value),
                    "message": problem.message,
                }
                for problem in problems
            ],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def _invalid(errors: dict[str, Any]) -> Response:
    return _refusal(
        [
            Problem(None, None, None, " ".join(map(str, messages)), field=name)
            for name, messages in errors.items()
        ]
    )


def _save(
    request: Request, sub: SubIndicator, data: dict[str, Any], measurement_id: int | None
) -> Response:
    entry = MeasurementEntry(
        sub_indicator=sub,
        date=data["date"],
        period_start=data.get("period_start", KEEP),
        value=data["value"],
        note=data.get("note"),
        final=data.get("final"),
        reason=data.get("reason", ""),
        measurement_id=measurement_id,
    )
    try:
        saved = SaveMeasurements([entry], user=request.user).execute()
    except ChangeRefusedError as refused:
        return _refusal(refused.problems, refused.message.splitlines()[0])
    measurement = Measurement.objects.select_related("sub_indicator").get(pk=saved.ids[0])
    return Response(
        MeasurementOutSerializer(measurement).data,
        status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK,
    )


class Measurements(generics.ListAPIView[Measurement]):
    """Measured values of a plan (``?sub_indicator=CODE``), or send one."""

    serializer_class = MeasurementOutSerializer
    permission_classes = [CanWriteMeasurements]

    def get_queryset(self) -> QuerySet[Measurement]:
        plan = get_object_or_404(Plan, slug=self.kwargs["plan"])
        queryset = Measurement.objects.filter(plan=plan).select_related("sub_indicator")
        if code := self.request.query_params.get("sub_indicator"):
            queryset = queryset.filter(sub_indicator__code=code)
        return queryset.order_by("sub_indicator__code", "date", "pk")

    @extend_schema(
        parameters=[OpenApiParameter("sub_indicator", str, description="Sub-indicator code.")]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MeasurementInSerializer,
        responses={201: MeasurementOutSerializer, 200: MeasurementOutSerializer, 400: PROBLEMS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Store a value: 201 when new, 200 when it changed the value stored for that date."""
        plan = get_object_or_404(Plan, slug=kwargs["plan"])
        incoming = MeasurementInSerializer(data=request.data)
        if not incoming.is_valid():
            return _invalid(incoming.errors)
        data = dict(incoming.validated_data)
        sub = (
            SubIndicator.objects.filter(plan=plan, code=data["sub_indicator"])
            .select_related("plan")
            .first()
        )
        if sub is None:
            return _refusal(
                [
                    Problem(
                        None,
                        None,
                        data["sub_indicator"],
                        _("no such indicator or sub-indicator"),
                        field="sub_indicator",
                    )
                ]
            )
        return _save(request, sub, data, None)


class MeasurementDetail(generics.RetrieveAPIView[Measurement]):
    """One measured value; PUT changes it (a final one only with a reason)."""

    serializer_class = MeasurementOutSerializer
    permission_classes = [CanWriteMeasurements]

    def get_queryset(self) -> QuerySet[Measurement]:
        return Measurement.objects.filter(plan__slug=self.kwargs["plan"]).select_related(
            "sub_indicator__plan"
        )

    @extend_schema(
        request=MeasurementChangeSerializer,
        responses={200: MeasurementOutSerializer, 400: PROBLEMS},
    )
    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measurement = self.get_object()
        incoming = MeasurementChangeSerializer(data=request.data)
        if not incoming.is_valid():
            return _invalid(incoming.errors)
        return _save(
            request, measurement.sub_indicator, dict(incoming.validated_data), measurement.pk
        )
