from __future__ import annotations

from django.contrib import admin

from smartplan.core.plan_admin import PlanScopedAdmin, PlanScopedTabularInline
from smartplan.organisations.models import Department, Organisation, Person


class DepartmentInline(PlanScopedTabularInline):
    model = Department


@admin.register(Organisation)
class OrganisationAdmin(PlanScopedAdmin):
    list_display = ("short_name", "name", "kind", "ico", "plan")
    list_display_links = ("short_name", "name")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "ico")
    list_select_related = ("plan",)
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(PlanScopedAdmin):
    list_display = ("name", "organisation", "kind", "plan")
    list_filter = ("kind", "organisation")
    search_fields = ("name", "short_name")
    list_select_related = ("organisation", "plan")


@admin.register(Person)
class PersonAdmin(PlanScopedAdmin):
    list_display = ("name", "function", "organisation", "department", "email", "publish_contact")
    list_filter = ("publish_contact", "organisation", "department")
    search_fields = ("name", "function", "email")
    list_select_related = ("organisation", "department", "plan")
    autocomplete_fields = ("user",)
