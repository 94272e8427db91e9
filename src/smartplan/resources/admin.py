from __future__ import annotations

from django.contrib import admin

from smartplan.core.admin_filters import year_filter
from smartplan.core.plan_admin import PlanScopedAdmin
from smartplan.resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(PlanScopedAdmin):
    list_display = ("title", "area", "flagship", "added_on", "url")
    list_filter = ("area", "flagship", year_filter("added_on"))
    search_fields = ("title", "description", "url")
    list_select_related = ("area", "flagship", "plan")
