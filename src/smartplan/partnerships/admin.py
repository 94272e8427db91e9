from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from smartplan.core import czech_format
from smartplan.core.plan_admin import PlanScopedAdmin, PlanScopedTabularInline
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    MunicipalProject,
    ProjectIdea,
    SurveyedMunicipality,
)


class MunicipalProjectInline(PlanScopedTabularInline):
    model = MunicipalProject


@admin.register(SurveyedMunicipality)
class SurveyedMunicipalityAdmin(PlanScopedAdmin):
    list_display = ("organisation", "surveyed", "plan")
    search_fields = ("organisation__name", "note")
    list_select_related = ("organisation", "plan")
    inlines = [MunicipalProjectInline]

    @admin.display(description=_("surveyed"), ordering="surveyed_on")
    def surveyed(self, survey: SurveyedMunicipality) -> str:
        return czech_format.format_date_with_precision(
            survey.surveyed_on, survey.surveyed_on_precision
        )


@admin.register(CommunicationActivity)
class CommunicationActivityAdmin(PlanScopedAdmin):
    list_display = ("title", "when", "channel", "url")
    list_filter = ("channel",)
    search_fields = ("title", "description")
    list_select_related = ("plan",)

    @admin.display(description=_("date"), ordering="date")
    def when(self, activity: CommunicationActivity) -> str:
        return czech_format.format_date_with_precision(activity.date, activity.date_precision)


@admin.register(Award)
class AwardAdmin(PlanScopedAdmin):
    list_display = ("competition", "category", "place", "year_display")
    search_fields = ("competition", "category")
    list_select_related = ("plan",)

    @admin.display(description=_("year"), ordering="year")
    def year_display(self, award: Award) -> str:
        return str(award.year)


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(PlanScopedAdmin):
    list_display = ("title", "area", "proposed_with", "year_display")
    list_filter = ("area",)
    search_fields = ("title", "description")
    list_select_related = ("area", "proposed_with", "plan")

    @admin.display(description=_("year"), ordering="year")
    def year_display(self, idea: ProjectIdea) -> str:
        return str(idea.year)
