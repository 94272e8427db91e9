from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from smartplan.core.plan_admin import LOCALIZED_DECIMALS, PlanScopedAdmin, PlanScopedTabularInline
from smartplan.exchange import admin_views
from smartplan.organisations.models import Organisation
from smartplan.plans.models import Approval, Area, Plan, SpecificGoal, StrategicGoal
from smartplan.plans.selectors import plan_register_counts


class ApprovalInline(admin.TabularInline[Approval, Plan]):
    model = Approval
    extra = 0
    formfield_overrides = LOCALIZED_DECIMALS


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    formfield_overrides = LOCALIZED_DECIMALS
    list_display = ("name", "territory_name", "period", "coordinator")
    list_select_related = ("coordinator",)
    search_fields = ("name", "territory_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("registers",)
    inlines = [ApprovalInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "registers")}),
        (_("Territory"), {"fields": ("territory_kind", "territory_name", "ruian_code")}),
        (
            _("Organisation and period"),
            {"fields": ("owner", "coordinator", "period_from", "period_to")},
        ),
        (_("Concept"), {"fields": ("concept_name", "concept_url", "vision", "description")}),
    )

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:plan_id>/export/", wrap(admin_views.plan_export), name="plans_plan_export"),
            path("<int:plan_id>/import/", wrap(admin_views.plan_import), name="plans_plan_import"),
            path("template/", wrap(admin_views.template_export), name="plans_plan_template"),
            *super().get_urls(),
        ]

    @admin.display(description=_("period"), ordering="period_from")
    def period(self, plan: Plan) -> str:
        return f"{plan.period_from}–{plan.period_to}"

    @admin.display(description=_("registers of this plan"))
    def registers(self, plan: Plan) -> SafeString:
        if not plan.pk:
            return format_html("{}", _("Save the plan first."))
        rows = [
            (
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                + f"?plan__id__exact={plan.pk}",
                model._meta.verbose_name_plural,
                count,
            )
            for model, count in plan_register_counts(plan=plan)
            if admin.site.is_registered(model)
        ]
        exchange = format_html(
            "<p><a href='{}'>{}</a> · <a href='{}'>{}</a> · <a href='{}'>{}</a> · "
            "<a href='{}'>{}</a></p>",
            reverse("admin:plans_plan_export", args=[plan.pk]),
            _("Download the workbook (XLSX)"),
            reverse("admin:plans_plan_import", args=[plan.pk]),
            _("Import a workbook or measurements"),
            reverse("admin:plans_plan_template"),
            _("Empty template"),
            reverse("monitoring:dashboard", args=[plan.slug]),
            _("Monitoring dashboard"),
        )
        exchange = format_html(
            "{}<p><a href='{}'>{}</a></p>",
            exchange,
            reverse("admin:reports_report_changelist") + f"?plan__id__exact={plan.pk}",
            _("Annual and quarterly reports"),
        )
        return format_html(
            "{}<ul class='plan-registers'>{}</ul>",
            exchange,
            format_html_join("", "<li><a href='{}'>{}</a> ({})</li>", rows),
        )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        """Owner and coordinator are organisations of this plan; a new plan has none yet."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if field is not None and db_field.name in {"owner", "coordinator"}:
            queryset = Organisation.objects.all()
            field.queryset = queryset.filter(plan_id=object_id) if object_id else queryset.none()
        return field


class SpecificGoalInline(PlanScopedTabularInline):
    model = SpecificGoal


@admin.register(StrategicGoal)
class StrategicGoalAdmin(PlanScopedAdmin):
    list_display = ("code", "name", "plan")
    list_display_links = ("code", "name")
    search_fields = ("name", "specific_goals__text")
    list_select_related = ("plan",)
    inlines = [SpecificGoalInline]


@admin.register(SpecificGoal)
class SpecificGoalAdmin(PlanScopedAdmin):
    list_display = ("code", "text", "strategic_goal", "plan")
    list_display_links = ("code", "text")
    list_filter = ("strategic_goal",)
    search_fields = ("code", "text")
    list_select_related = ("strategic_goal", "plan")


@admin.register(Area)
class AreaAdmin(PlanScopedAdmin):
    list_display = ("name", "short_name", "order", "plan")
    list_editable = ("order",)
    search_fields = ("name", "short_name")
    list_select_related = ("plan",)
