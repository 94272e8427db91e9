"""Measured values in the API: read like every register, written through the measurement
action (``SaveMeasurements``), the same path as every other channel.

A value sent for a sub-indicator and date that already has one changes it, by the same
rules (a final value only with a reason, its old content kept); the database keeps one
value per sub-indicator and date. A change of a stored value (PUT) names the version it is
based on (``If-Match``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from smartplan.api.change_set import api_change_set
from smartplan.api.register_serializers import register_serializer
from smartplan.api.register_views import RegisterViewSet, if_match_version
from smartplan.api.registers import REGISTER_BY_PATH
from smartplan.api.serializers import MeasurementChangeSerializer, MeasurementInSerializer
from smartplan.core.versioning import StaleEditError
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import KEEP, MeasurementEntry, SaveMeasurements

MEASUREMENT = register_serializer(REGISTER_BY_PATH["measurements"])


@extend_schema_view(
    create=extend_schema(
        request=MeasurementInSerializer,
        responses={200: MEASUREMENT, 201: MEASUREMENT},
        description="Store a value: 201 when new, 200 when it changed the value stored for "
        "that sub-indicator and date.",
    ),
    update=extend_schema(request=MeasurementChangeSerializer),
)
class MeasurementViewSet(RegisterViewSet):
    """Measured values of a plan."""

    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def _save(
        self, sub: SubIndicator, data: dict[str, Any], measurement_id: int | None
    ) -> tuple[int, bool]:
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
        saved = SaveMeasurements([entry], user=self.request.user).execute()
        return saved.ids[0], bool(saved.created)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.plan()
        incoming = MeasurementInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        sub = SubIndicator.objects.filter(plan=plan, code=data["sub_indicator"]).first()
        if sub is None:
            raise exceptions.ValidationError(
                {"sub_indicator": _("no such indicator or sub-indicator")}
            )
        stored = Measurement.objects.filter(sub_indicator=sub, date=data["date"]).first()
        if stored is not None:
            self.require("change", stored)
        else:
            self.require("add", Measurement(plan=plan, sub_indicator=sub, date=data["date"]))
        with transaction.atomic(), api_change_set(user=request.user, plan=plan):
            pk, created = self._save(sub, data, None)
        return self.detail_response(pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        based_on = if_match_version(request)
        measurement = self.the_object()
        self.require("change", measurement)
        assert isinstance(measurement, Measurement)
        sent = request.data if isinstance(request.data, dict) else {}
        if measurement.version != based_on:
            raise self.stale(measurement, based_on, sent)
        incoming = MeasurementChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            with transaction.atomic(), api_change_set(user=request.user, plan=self.plan()):
                current = (
                    Measurement.objects.select_for_update()
                    .filter(pk=measurement.pk)
                    .values_list("version", flat=True)
                    .first()
                )
                if current != based_on:
                    raise StaleEditError(measurement, based_on=based_on, current=current)
                self._save(measurement.sub_indicator, dict(incoming.validated_data), measurement.pk)
        except StaleEditError:
            raise self.stale(measurement, based_on, sent) from None
        return self.detail_response(measurement.pk)
