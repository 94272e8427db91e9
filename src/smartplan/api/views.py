"""Observations in the API: read like every register; sent in bulk (a JSON list), created
or updated per series and period by the observations service."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from smartplan.api.change_set import api_change_set
from smartplan.api.register_views import RegisterViewSet
from smartplan.api.serializers import ImportResultSerializer, ObservationInSerializer
from smartplan.core.problems import ChangeRefusedError, Problem
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.observations.services import ObservationRow, observations_store

MAX_ITEMS = 10_000
# The observations service names the columns of a file; the API names its fields.
FIELDS = {"řada": "series", "od": "period_start", "do": "period_end", "hodnota": "value"}


@extend_schema_view(
    create=extend_schema(
        request=ObservationInSerializer(many=True),
        responses={201: ImportResultSerializer},
        description="Create or update observations; one bad item refuses them all "
        "(nothing is written).",
    )
)
class ObservationViewSet(RegisterViewSet):
    """Observations of a plan."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.plan()
        items = request.data if isinstance(request.data, list) else None
        if items is None or not 1 <= len(items) <= MAX_ITEMS:
            raise exceptions.ValidationError(
                _("Send a JSON list of 1 to %(max)s observations.") % {"max": MAX_ITEMS}
            )
        incoming = ObservationInSerializer(data=items, many=True)
        incoming.is_valid(raise_exception=True)
        codes = {item["series"] for item in incoming.validated_data}
        for series in ObservationSeries.objects.filter(plan=plan, code__in=codes):
            self.require("add", Observation(plan=plan, series=series))
        if not codes & set(
            ObservationSeries.objects.filter(plan=plan).values_list("code", flat=True)
        ):
            self.require("add", Observation(plan=plan))
        rows = [
            ObservationRow(
                index, item["series"], item["period_start"], item["period_end"], item["value"]
            )
            for index, item in enumerate(incoming.validated_data)
        ]
        with transaction.atomic(), api_change_set(user=request.user, plan=plan):
            try:
                result = observations_store(plan=plan, rows=rows, source="API")
            except ChangeRefusedError as refused:
                raise ChangeRefusedError(
                    [
                        Problem(p.row, None, p.value, p.message, field=FIELDS.get(p.column or ""))
                        for p in refused.problems
                    ]
                ) from None
        return Response(
            {"created": result.created, "updated": result.updated}, status=status.HTTP_201_CREATED
        )
