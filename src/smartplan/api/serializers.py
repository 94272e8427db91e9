from __future__ import annotations

from rest_framework import serializers

from smartplan.indicators.models import Measurement
from smartplan.observations.models import Observation, ObservationSeries


class ObservationSeriesSerializer(serializers.ModelSerializer[ObservationSeries]):
    class Meta:
        model = ObservationSeries
        fields = ["code", "name", "unit", "subject", "description"]


class ObservationInSerializer(serializers.Serializer[dict[str, object]]):
    series = serializers.CharField(max_length=100, help_text="Code of the observation series.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4)


class ObservationOutSerializer(serializers.ModelSerializer[Observation]):
    series = serializers.CharField(source="series.code")

    class Meta:
        model = Observation
        fields = ["series", "period_start", "period_end", "value"]


class ImportResultSerializer(serializers.Serializer[dict[str, object]]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class ProblemSerializer(serializers.Serializer[dict[str, object]]):
    index = serializers.IntegerField(allow_null=True, help_text="Position in the sent list.")
    field = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class MeasurementOutSerializer(serializers.ModelSerializer[Measurement]):
    sub_indicator = serializers.CharField(source="sub_indicator.code")

    class Meta:
        model = Measurement
        fields = ["id", "sub_indicator", "period_start", "date", "value", "note", "status"]


class MeasurementChangeSerializer(serializers.Serializer[dict[str, object]]):
    """A value as sent; rules (final values, off-track notes, …) are the action's."""

    date = serializers.DateField(help_text="The date of the value, or the period's last day.")
    period_start = serializers.DateField(
        required=False, allow_null=True, help_text="First day of the period; null for a date."
    )
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Required when the value puts the sub-indicator off track. Omitted: kept.",
    )
    final = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Omitted: the state is kept."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to change a final value; its old content is kept in history.",
    )


class MeasurementInSerializer(MeasurementChangeSerializer):
    sub_indicator = serializers.CharField(
        max_length=20,
        help_text="Code of the sub-indicator. A value for a date that already has one "
        "changes that value.",
    )
