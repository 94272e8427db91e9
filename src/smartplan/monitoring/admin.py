from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from smartplan.core.admin_extensions import plan_link_add
from smartplan.core.history_admin import HistoryAdminMixin
from smartplan.core.plan_admin import ObjectPermissionsMixin, PlanScopedAdmin
from smartplan.core.stale_edit_admin import StaleEditAdminMixin
from smartplan.monitoring import measurement_admin  # noqa: F401  (registers the values' admin)
from smartplan.monitoring.models import MonitoringSettings, ReminderLog, SubIndicatorState
from smartplan.monitoring.templatetags.monitoring import percent


@admin.register(MonitoringSettings)
class MonitoringSettingsAdmin(  # type: ignore[misc]
    HistoryAdminMixin,
    StaleEditAdminMixin,
    ObjectPermissionsMixin,
    admin.ModelAdmin[MonitoringSettings],
):
    list_display = ("plan", "on_track_ratio", "at_risk_ratio", "remind_days_before", "dashboard")
    list_select_related = ("plan",)

    @admin.display(description=_("dashboard"))
    def dashboard(self, settings: MonitoringSettings) -> SafeString:
        url = reverse("monitoring:dashboard", args=[settings.plan.slug])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


class ReadOnlyAdmin(PlanScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SubIndicatorState)
class SubIndicatorStateAdmin(ReadOnlyAdmin):
    list_display = (
        "sub_indicator",
        "value",
        "value_date",
        "progress_display",
        "status",
        "next_due",
    )
    list_filter = ("status",)
    search_fields = ("sub_indicator__code", "sub_indicator__name")
    list_select_related = ("sub_indicator", "plan")

    @admin.display(description=_("progress"), ordering="progress")
    def progress_display(self, state: SubIndicatorState) -> str:
        return percent(state.progress)


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("sub_indicator", "kind", "due_date", "recipient", "sent_at")
    list_filter = ("kind",)
    search_fields = ("recipient", "sub_indicator__code")
    list_select_related = ("sub_indicator", "plan")


plan_link_add(
    label=_("Monitoring dashboard"),
    url=lambda plan: reverse("monitoring:dashboard", args=[plan.slug]),
    group="monitoring",
)
