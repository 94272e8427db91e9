"""What import and export add to the editing interface: the plan's workbook pages and links,
and the export buttons of every register list. The views are imported on their first use."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartplan.core.admin_extensions import (
    plan_link_add,
    plan_page_add,
    register_button_add,
    register_page_add,
)
from smartplan.exchange.register_export_view import register_exportable

_VIEWS = "smartplan.exchange.admin_views"
_ODS_VIEWS = "smartplan.exchange.ods_export_view"

plan_page_add(route="<int:plan_id>/export/", name="export", view=f"{_VIEWS}.plan_export")
plan_page_add(route="<int:plan_id>/import/", name="import", view=f"{_VIEWS}.plan_import")
plan_page_add(route="template/", name="template", view=f"{_VIEWS}.template_export")
plan_page_add(
    route="<int:plan_id>/export/ods/", name="export_ods", view=f"{_ODS_VIEWS}.plan_export_ods"
)
plan_page_add(route="template/ods/", name="template_ods", view=f"{_ODS_VIEWS}.template_export_ods")
plan_link_add(
    label=_("Download the workbook (XLSX)"),
    url=lambda plan: reverse("admin:plans_plan_export", args=[plan.pk]),
    group="exchange",
)
plan_link_add(
    label=_("Download the workbook (ODS)"),
    url=lambda plan: reverse("admin:plans_plan_export_ods", args=[plan.pk]),
    group="exchange",
)
plan_link_add(
    label=_("Import a workbook or measurements"),
    url=lambda plan: reverse("admin:plans_plan_import", args=[plan.pk]),
    group="exchange",
)
plan_link_add(
    label=_("Empty template"),
    url=lambda plan: reverse("admin:plans_plan_template"),
    group="exchange",
)
plan_link_add(
    label=_("Empty template (ODS)"),
    url=lambda plan: reverse("admin:plans_plan_template_ods"),
    group="exchange",
)

register_page_add(
    route="export/<str:fmt>/",
    name="export",
    view="smartplan.exchange.register_export_view.register_export",
)
register_button_add(
    label=_("Export XLSX"), page="export", args=("xlsx",), available=register_exportable
)
register_button_add(
    label=_("Export ODS"), page="export", args=("ods",), available=register_exportable
)
register_button_add(
    label=_("Export CSV"), page="export", args=("csv",), available=register_exportable
)
