"""Inputs of the measurement and observation writes (the registers' serializers are
derived from their models in ``register_serializers``)."""

from __future__ import annotations

from rest_framework import serializers

from smartplan.api.fields import CzechDateField, CzechDecimalField


class ObservationInSerializer(serializers.Serializer[dict[str, object]]):
    series = serializers.CharField(max_length=100, help_text="Code of the observation series.")
    period_start = CzechDateField()
    period_end = CzechDateField()
    value = CzechDecimalField(max_digits=20, decimal_places=4)


class ImportResultSerializer(serializers.Serializer[dict[str, object]]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class MeasurementChangeSerializer(serializers.Serializer[dict[str, object]]):
    """A value as sent; rules (final values, off-track notes, …) are the action's."""

    date = CzechDateField(help_text="The date of the value, or the period's last day.")
    period_start = CzechDateField(
        required=False, allow_null=True, help_text="First day of the period; null for a date."
    )
    value = CzechDecimalField(max_digits=20, decimal_places=4)
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
