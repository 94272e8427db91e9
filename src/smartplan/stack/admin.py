from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartplan.core import czech_format
from smartplan.core.plan_admin import PlanScopedAdmin
from smartplan.stack.actions import ChangeStackStatus, stack_status_change
from smartplan.stack.models import StackItem
from smartplan.stack.selectors import stack_totals


class StackItemAdminForm(forms.ModelForm[StackItem]):
    """A stack item; a status change is checked by the stack status action."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "status" in self.changed_data and "status" in data:
            for problem in ChangeStackStatus(self.instance, data["status"]).check():
                self.add_error("status", problem.message)
        return data


@admin.register(StackItem)
class StackItemAdmin(PlanScopedAdmin):
    form = StackItemAdminForm
    list_display = (
        "number",
        "name_short",
        "area",
        "status",
        "finance",
        "duration",
        "guarantor",
        "flagship",
        "year_added_display",
    )
    list_display_links = ("number", "name_short")
    list_filter = ("status", "area", "flagship", "guarantor", "year_added")
    search_fields = ("name", "description", "note")
    list_select_related = ("area", "guarantor", "flagship", "plan")
    fieldsets = (
        (None, {"fields": ("plan", "number", "name", "description")}),
        (
            _("Classification"),
            {"fields": ("area", "area_label", "status", "flagship", "guarantor")},
        ),
        (
            _("Money and time"),
            {"fields": (("finance_mil", "finance_text"), ("duration_years", "duration_text"))},
        ),
        (_("Notes"), {"fields": ("note", "year_added", "progress_note")}),
    )

    def save_model(self, request: HttpRequest, obj: StackItem, form: Any, change: bool) -> None:
        """A changed status goes through the stack status action; the rest is plain data."""
        if not (change and "status" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        status = obj.status
        obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)  # refused when the item went stale
        stack_status_change(item=obj, status=status, based_on_version=obj.version)

    def changelist_context_add(self, request: HttpRequest, context: dict[str, Any]) -> None:
        """Adds the "CELKEM … mil. Kč" line of the report's stack table, for the filtered rows."""
        totals = stack_totals(queryset=context["cl"].queryset)
        context["stack_total"] = czech_format.format_millions(totals.finance_mil)
        context["stack_items"] = totals.items

    @admin.display(description=_("project / measure"), ordering="name")
    def name_short(self, item: StackItem) -> str:
        return item.name if len(item.name) <= 90 else item.name[:88] + "…"

    @admin.display(description=_("finance"), ordering="finance_mil")
    def finance(self, item: StackItem) -> str:
        return czech_format.format_millions(item.finance_mil) or item.finance_text

    @admin.display(description=_("duration (years)"), ordering="duration_years")
    def duration(self, item: StackItem) -> str:
        return str(item.duration_years) if item.duration_years is not None else item.duration_text

    @admin.display(description=_("year added"), ordering="year_added")
    def year_added_display(self, item: StackItem) -> str:
        return str(item.year_added) if item.year_added else ""
