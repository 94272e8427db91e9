from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartplan.core import czech_format
from smartplan.core.plan_admin import (
    PlanScopedAdmin,
    PlanScopedStackedInline,
    PlanScopedTabularInline,
)
from smartplan.indicators.models import Indicator, Measurement, MeasurementRevision, SubIndicator


class MeasurementInline(PlanScopedTabularInline):
    model = Measurement
    fields = ("period_start", "date", "value", "status", "note")
    ordering = ("-date",)
    # A sub-indicator may hold years of monthly values: show the latest, link to the rest.
    max_num = None

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("-date")


class RevisionInline(PlanScopedTabularInline):
    model = MeasurementRevision
    fields = (
        "old_date",
        "old_value",
        "old_status",
        "old_note",
        "reason",
        "changed_by",
        "created_at",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SubIndicatorInline(PlanScopedStackedInline):
    model = SubIndicator
    fields = (
        ("code", "name"),
        "description",
        ("kind", "unit", "direction", "aggregation"),
        ("baseline_value", "baseline_date"),
        ("target_value", "target_date", "target_is_relative"),
        "target_text",
        ("weight", "source"),
        "formula",
        ("observation_series", "observation_method", "observation_baseline_year"),
    )
    inlines = [MeasurementInline]


@admin.register(Indicator)
class IndicatorAdmin(PlanScopedAdmin):
    list_display = (
        "number",
        "name",
        "project",
        "specific_goal",
        "frequency",
        "last_update_display",
    )
    list_display_links = ("number", "name")
    list_filter = ("project", "strategic_goals", "frequency")
    search_fields = ("name", "description", "sub_indicators__name")
    list_select_related = ("project", "specific_goal", "plan")
    filter_horizontal = ("strategic_goals",)
    inlines = [SubIndicatorInline]
    fieldsets = (
        (None, {"fields": ("plan", ("number", "name"), "project")}),
        (_("Goals"), {"fields": ("strategic_goals", "specific_goal", "specific_goal_note")}),
        (
            _("Card"),
            {
                "fields": (
                    "description",
                    "future_indicators_intro",
                    "future_indicators",
                    "target_state",
                    "data_source",
                    "methodology",
                    ("frequency", "frequency_text"),
                    "last_update",
                )
            },
        ),
        (
            _("Responsibility"),
            {
                "fields": (
                    "responsible_organisation",
                    "responsible_department",
                    "responsible_person",
                )
            },
        ),
    )

    @admin.display(description=_("last update"), ordering="last_update")
    def last_update_display(self, indicator: Indicator) -> str:
        return czech_format.format_month_numeric(indicator.last_update)


@admin.register(SubIndicator)
class SubIndicatorAdmin(PlanScopedAdmin):
    list_display = ("code", "name", "indicator", "kind", "baseline", "target", "target_date")
    list_display_links = ("code", "name")
    list_filter = ("kind", "indicator__project", "indicator")
    search_fields = ("code", "name", "description")
    list_select_related = ("indicator", "plan")
    inlines = [MeasurementInline]

    @admin.display(description=_("baseline"))
    def baseline(self, sub: SubIndicator) -> str:
        return czech_format.format_number(sub.baseline_value)

    @admin.display(description=_("target value"), ordering="target_value")
    def target(self, sub: SubIndicator) -> str:
        value = czech_format.format_number(sub.target_value)
        return f"{value} {sub.unit}".strip() if value else "—"


@admin.register(Measurement)
class MeasurementAdmin(PlanScopedAdmin):
    list_display = ("sub_indicator", "date", "value_display", "status", "entered_by")
    list_filter = ("sub_indicator__indicator__project", "sub_indicator__indicator")
    search_fields = ("note", "sub_indicator__name", "sub_indicator__code")
    list_select_related = ("sub_indicator", "entered_by", "plan")
    date_hierarchy = "date"
    exclude = ("entered_by",)
    inlines = [RevisionInline]

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, measurement: Measurement) -> str:
        return czech_format.format_number(measurement.value)

    def save_model(self, request: HttpRequest, obj: Measurement, form: Any, change: bool) -> None:
        if not change and request.user.is_authenticated:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
