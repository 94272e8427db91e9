from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from smartplan.core import czech_format
from smartplan.core.admin_filters import year_filter
from smartplan.core.plan_admin import PlanScopedAdmin
from smartplan.observations.models import Observation, ObservationSeries


@admin.register(ObservationSeries)
class ObservationSeriesAdmin(PlanScopedAdmin):
    list_display = ("code", "name", "unit", "subject", "project")
    list_display_links = ("code", "name")
    list_filter = ("project",)
    search_fields = ("code", "name", "subject")
    list_select_related = ("project", "plan")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Observation)
class ObservationAdmin(PlanScopedAdmin):
    list_display = ("series", "period_start", "period_end", "value_display", "source")
    list_filter = ("series", year_filter("period_end"))
    search_fields = ("series__code", "series__name", "source")
    list_select_related = ("series", "plan")
    # Counts beside every filter choice would count every observation per choice.
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, observation: Observation) -> str:
        return czech_format.format_number(observation.value)
