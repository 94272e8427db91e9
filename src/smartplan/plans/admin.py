from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from smartplan.core.admin_extensions import plan_links, plan_page_urls
from smartplan.core.history_admin import HistoryAdminMixin
from smartplan.core.plan_admin import (
    LOCALIZED_DECIMALS,
    InlinePermissionsMixin,
    ObjectPermissionsMixin,
    PlanScopedAdmin,
    PlanScopedTabularInline,
)
from smartplan.core.stale_edit_admin import StaleEditAdminMixin, StaleEditInlineMixin
from smartplan.organisations.models import Organisation
from smartplan.plans.models import Approval, Area, Plan, SpecificGoal, StrategicGoal
from smartplan.plans.selectors import plan_register_counts


class ApprovalInline(
    StaleEditInlineMixin, InlinePermissionsMixin, admin.TabularInline[Approval, Plan]
):
    model = Approval
    extra = 0
    formfield_overrides = LOCALIZED_DECIMALS


@admin.register(Plan)
class PlanAdmin(  # type: ignore[misc]
    HistoryAdminMixin, StaleEditAdminMixin, ObjectPermissionsMixin, admin.ModelAdmin[Plan]
):
    formfield_overrides = LOCALIZED_DECIMALS
    list_display = ("name", "territory_name", "period", "coordinator", "published")
    list_select_related = ("coordinator",)
    search_fields = ("name", "territory_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("registers",)
    inlines = [ApprovalInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "published", "registers")}),
        (_("Territory"), {"fields": ("territory_kind", "territory_name", "ruian_code")}),
        (
            _("Organisation and period"),
            {"fields": ("owner", "coordinator", "period_from", "period_to")},
        ),
        (_("Concept"), {"fields": ("concept_name", "concept_url", "vision", "description")}),
        (
            _("Open data catalogue (DCAT-AP-CZ)"),
            {
                "fields": (
                    "open_data_contact_name",
                    "open_data_contact_email",
                    "legal_act_iri",
                    "terms_author_work",
                    "terms_database_work",
                    "terms_database_right",
                    "terms_personal_data",
                )
            },
        ),
    )

    def get_urls(self) -> list[Any]:
        # Pages other apps add under a plan (the workbook export and import, …).
        return [*plan_page_urls(self.admin_site.admin_view), *super().get_urls()]

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
        # Links other apps add (workbook, reports, dashboard), a line per app.
        links = format_html_join(
            "",
            "<p>{}</p>",
            ((format_html_join(" · ", "<a href='{}'>{}</a>", line),) for line in plan_links(plan)),
        )
        return format_html(
            "{}<ul class='plan-registers'>{}</ul>",
            links,
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
