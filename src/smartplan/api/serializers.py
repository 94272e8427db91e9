from __future__ import annotations

from rest_framework import serializers

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
