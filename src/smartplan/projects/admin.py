from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet

from smartplan.core import czech_format
from smartplan.core.plan_admin import (
    PlanScopedAdmin,
    PlanScopedStackedInline,
    PlanScopedTabularInline,
)
from smartplan.core.stale_edit_admin import StaleEditFormMixin
from smartplan.projects.actions import FulfilmentEntry, SaveFulfilment, fulfilment_save
from smartplan.projects.models import (
    Activity,
    ActivityCost,
    ActivityFulfilment,
    FlagshipProject,
    FundingSource,
    ProjectStatusReport,
)
from smartplan.projects.selectors import activity_planned


class FulfilmentAdminForm(StaleEditFormMixin, forms.ModelForm[ActivityFulfilment]):
    """A yearly fulfilment: the fulfilment action's rules, shown on their fields."""

    def entry(self, activity: Activity | None = None) -> FulfilmentEntry:
        data = self.cleaned_data
        return FulfilmentEntry(
            activity=activity or data.get("activity") or self.instance.activity,
            year=data["year"],
            spent=data["spent"],
            outputs=data.get("outputs", ""),
            fulfilment_id=self.instance.pk,
            based_on_version=self.based_on_version,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not self.has_changed():
            return data
        if not (data.get("activity") or self.instance.activity_id):
            return data
        for problem in SaveFulfilment(self.entry()).check():
            field = self.fields.get(problem.field or "")
            name = problem.field if field is not None and not field.widget.is_hidden else None
            self.add_error(name, problem.message)
        return data


class FulfilmentFormSet(NestedInlineFormSet):  # type: ignore[misc]
    """Yearly fulfilment rows under an activity, each saved through the fulfilment action."""

    def save_new(self, form: FulfilmentAdminForm, commit: bool = True) -> ActivityFulfilment:
        return fulfilment_save(entry=form.entry(self.instance))

    def save_existing(
        self, form: FulfilmentAdminForm, obj: ActivityFulfilment, commit: bool = True
    ) -> ActivityFulfilment:
        return fulfilment_save(entry=form.entry(self.instance))


class FulfilmentInline(PlanScopedTabularInline):
    model = ActivityFulfilment
    form = FulfilmentAdminForm
    formset = FulfilmentFormSet
    fields = ("year", "outputs", "spent")


class CostInline(PlanScopedTabularInline):
    model = ActivityCost
    fields = ("description", "amount", "vat_included", "note")


class ActivityInline(PlanScopedStackedInline):
    model = Activity
    fields = (
        ("number", "part"),
        "description",
        "expected_outputs",
        ("timing_text", "timing_from", "timing_to", "continuous"),
        ("cost_min", "cost_max"),
        "cost_note",
        "funding_sources",
    )
    filter_horizontal = ("funding_sources",)
    inlines = [FulfilmentInline, CostInline]
    classes = ("collapse",)


class StatusReportInline(PlanScopedStackedInline):
    model = ProjectStatusReport
    fields = (("year", "quarter"), "preparation_status", "planned_activities")


@admin.register(FlagshipProject)
class FlagshipProjectAdmin(PlanScopedAdmin):
    list_display = (
        "number",
        "name",
        "area",
        "goals",
        "guarantor",
        "implementer",
        "coordinated",
        "spent_total",
    )
    list_display_links = ("number", "name")
    list_filter = ("coordinated", "area", "strategic_goals", "guarantor")
    search_fields = ("name", "description", "activities__description")
    list_select_related = ("area", "guarantor", "implementer", "plan")
    filter_horizontal = ("strategic_goals", "funding_sources")
    inlines = [StatusReportInline, ActivityInline]
    fieldsets = (
        (None, {"fields": ("plan", ("number", "name"), "subtitle", "area", "strategic_goals")}),
        (
            _("Responsibility"),
            {
                "fields": (
                    ("guarantor", "guarantor_contact"),
                    ("implementer", "implementer_department", "implementer_contact"),
                    ("council_member", "council_portfolio"),
                )
            },
        ),
        (_("Description"), {"fields": ("description", "coordinated", "not_coordinated_reason")}),
        (_("Financing"), {"fields": ("financing_note", "funding_sources")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[FlagshipProject]:
        queryset: QuerySet[FlagshipProject] = super().get_queryset(request)
        # A subquery per listed project, not a join and GROUP BY over every project's
        # fulfilments before the page is cut (0.8 s at 100 times the demo).
        spent = (
            ActivityFulfilment.objects.filter(activity__project=OuterRef("pk"))
            .order_by()
            .values("activity__project")
            .annotate(total=Sum("spent"))
            .values("total")
        )
        return queryset.prefetch_related("strategic_goals").annotate(_spent=Subquery(spent))

    @admin.display(description=_("goals"))
    def goals(self, project: FlagshipProject) -> str:
        return " / ".join(goal.name for goal in project.strategic_goals.all())

    @admin.display(description=_("spent in total"), ordering="_spent")
    def spent_total(self, project: FlagshipProject) -> str:
        return czech_format.format_money(getattr(project, "_spent", None) or 0)


@admin.register(Activity)
class ActivityAdmin(PlanScopedAdmin):
    list_display = ("label", "project", "short_description", "timing_text", "cost")
    list_filter = ("project", "continuous")
    search_fields = ("description", "expected_outputs", "project__name")
    list_select_related = ("project", "plan")
    filter_horizontal = ("funding_sources",)
    inlines = [FulfilmentInline, CostInline]

    @admin.display(description=_("activity"), ordering="number")
    def label(self, activity: Activity) -> str:
        return activity.label

    @admin.display(description=_("description"))
    def short_description(self, activity: Activity) -> str:
        return activity.description[:120]

    @admin.display(description=_("cost estimate"))
    def cost(self, activity: Activity) -> str:
        if activity.cost_min is None and activity.cost_max is None:
            return ""
        return czech_format.money_range(activity_planned(activity))


@admin.register(ActivityFulfilment)
class ActivityFulfilmentAdmin(PlanScopedAdmin):
    list_display = ("activity", "project", "year_display", "spent_display")
    list_filter = ("year", "activity__project")
    search_fields = ("outputs", "activity__description")
    list_select_related = ("activity__project", "plan")
    form = FulfilmentAdminForm

    def save_model(
        self, request: HttpRequest, obj: ActivityFulfilment, form: Any, change: bool
    ) -> None:
        """Through the fulfilment action (money not negative, year in the plan, one a year)."""
        saved = fulfilment_save(entry=form.entry())
        obj.pk, obj.created_at = saved.pk, saved.created_at

    @admin.display(description=_("flagship project"), ordering="activity__project__number")
    def project(self, fulfilment: ActivityFulfilment) -> FlagshipProject:
        return fulfilment.activity.project

    @admin.display(description=_("year"), ordering="year")
    def year_display(self, fulfilment: ActivityFulfilment) -> str:
        return str(fulfilment.year)

    @admin.display(description=_("spent (Kč)"), ordering="spent")
    def spent_display(self, fulfilment: ActivityFulfilment) -> str:
        return czech_format.format_money(fulfilment.spent)


@admin.register(ProjectStatusReport)
class ProjectStatusReportAdmin(PlanScopedAdmin):
    list_display = ("project", "period")
    list_filter = ("year", "quarter", "project")
    search_fields = ("preparation_status", "planned_activities")
    list_select_related = ("project", "plan")

    @admin.display(description=_("period"), ordering="year")
    def period(self, report: ProjectStatusReport) -> str:
        if report.quarter:
            return czech_format.format_quarter(report.year, report.quarter)
        return str(report.year)


@admin.register(FundingSource)
class FundingSourceAdmin(PlanScopedAdmin):
    list_display = ("code", "name", "plan")
    search_fields = ("code", "name")
    list_select_related = ("plan",)
