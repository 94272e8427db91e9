from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from smartplan.core import czech_format
from smartplan.core.plan_admin import (
    PlanScopedAdmin,
    PlanScopedStackedInline,
)
from smartplan.indicators.models import Indicator, SubIndicator


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
    # Measured values are entered under a sub-indicator; monitoring, which owns their
    # rules, adds that inline (see measurement_inline_use).
    inlines: list[Any] = []


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
    inlines: list[Any] = []

    @admin.display(description=_("baseline"))
    def baseline(self, sub: SubIndicator) -> str:
        return czech_format.format_number(sub.baseline_value)

    @admin.display(description=_("target value"), ordering="target_value")
    def target(self, sub: SubIndicator) -> str:
        value = czech_format.format_number(sub.target_value)
        return f"{value} {sub.unit}".strip() if value else "—"


def measurement_inline_use(inline: type[Any]) -> None:
    """Show ``inline`` (the measured values) under each sub-indicator, on its own page and
    nested in its indicator's page. Called by monitoring's admin, which owns the values'
    rules, so this app does not import monitoring."""
    for owner in (SubIndicatorInline, SubIndicatorAdmin):
        if inline not in owner.inlines:
            owner.inlines = [*owner.inlines, inline]
