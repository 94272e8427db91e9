from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from smartplan.core import czech_format
from smartplan.core.plan_admin import PlanScopedAdmin, PlanScopedTabularInline
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember


@admin.register(SteeringGroupMember)
class SteeringGroupMemberAdmin(PlanScopedAdmin):
    list_display = ("role", "person", "organisation", "order")
    list_editable = ("order",)
    search_fields = ("role", "person__name")
    list_select_related = ("person", "organisation", "plan")


class DecisionInline(PlanScopedTabularInline):
    model = Decision
    fields = ("number", "text", "responsible", "responsible_organisation", "deadline", "state")


@admin.register(Meeting)
class MeetingAdmin(PlanScopedAdmin):
    list_display = ("title", "when")
    search_fields = ("title", "agenda", "minutes")
    list_select_related = ("plan",)
    filter_horizontal = ("attendees",)
    inlines = [DecisionInline]

    @admin.display(description=_("date"), ordering="date")
    def when(self, meeting: Meeting) -> str:
        return meeting.date_text or czech_format.format_date_with_precision(
            meeting.date, meeting.date_precision
        )


@admin.register(Decision)
class DecisionAdmin(PlanScopedAdmin):
    list_display = ("number", "text_short", "meeting", "responsible", "deadline", "state")
    list_display_links = ("number", "text_short")
    list_filter = ("state", "meeting")
    search_fields = ("number", "text")
    list_select_related = ("meeting", "responsible", "plan")

    @admin.display(description=_("text"))
    def text_short(self, decision: Decision) -> str:
        return decision.text[:100]
