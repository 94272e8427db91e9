"""Admin building blocks for plan-scoped registers.

A coordinator works plan by plan: every register list filters by plan first, and every
choice of a related row (area, department, project, …) offers only rows of the same plan.
Decimal inputs accept Czech notation (``1 234,5``).
"""

from __future__ import annotations

from typing import Any

import nested_admin
from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.db.models import ForeignKey, ManyToManyField, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import capfirst

from smartplan.core.admin_extensions import register_buttons, register_page_urls
from smartplan.core.czech_form_fields import CzechDecimalField
from smartplan.core.history_admin import HistoryAdminMixin
from smartplan.core.models import PlanScoped
from smartplan.core.stale_edit_admin import StaleEditAdminMixin, StaleEditInlineMixin

LOCALIZED_DECIMALS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DecimalField: {"localize": True, "form_class": CzechDecimalField},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})},
    # Czech dates without leading zeros (5. 2. 2020); any of DATE_INPUT_FORMATS is accepted.
    models.DateField: {"widget": widgets.AdminDateWidget(format="%-d. %-m. %Y")},
    # A link typed without a scheme is an https link (Django 6's default, chosen now).
    models.URLField: {"assume_scheme": "https"},
}


def _plan_id_for(request: HttpRequest, obj: Any | None) -> int | None:
    """The plan an edited row belongs to, or the one named in ``?plan=`` / ``?plan__id__exact=``."""
    if obj is not None and getattr(obj, "plan_id", None):
        return int(obj.plan_id)
    for key in ("plan", "plan__id__exact"):
        value = request.GET.get(key)
        if value and value.isdigit():
            return int(value)
    changelist_filters = request.GET.get("_changelist_filters", "")
    for part in changelist_filters.split("&"):
        key, _, value = part.partition("=")
        if key == "plan__id__exact" and value.isdigit():
            return int(value)
    return None


class PlanScopedMixin:
    """Limits related-row choices to the plan of the edited row."""

    formfield_overrides = LOCALIZED_DECIMALS

    def _scoped(self, queryset: QuerySet[Any], plan_id: int | None) -> QuerySet[Any]:
        if plan_id is None:
            return queryset
        if any(field.name == "plan" for field in queryset.model._meta.get_fields()):
            return queryset.filter(plan_id=plan_id)
        return queryset

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        plan_id = getattr(request, "_smartplan_plan_id", None)
        if field is not None and db_field.name != "plan" and hasattr(field, "queryset"):
            field.queryset = self._scoped(field.queryset, plan_id)
        return field

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        plan_id = getattr(request, "_smartplan_plan_id", None)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._scoped(field.queryset, plan_id)
        return field


class PlanScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Offers only rows of the plan being filtered: a national instance has thousands."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        ordering = self.field_admin_ordering(field, request, model_admin)
        plan_id = _plan_id_for(request, None)
        related = field.related_model
        limit = (
            {"plan_id": plan_id}
            if plan_id is not None and issubclass(related, PlanScoped)
            else None
        )
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=limit)


def _scoped_filter(spec: Any, model: type[models.Model]) -> Any:
    if not isinstance(spec, str) or "__" in spec:
        return spec
    related = model._meta.get_field(spec).related_model
    if isinstance(related, type) and issubclass(related, PlanScoped):
        return (spec, PlanScopedRelatedFilter)
    return spec


class PlanScopedAdmin(
    HistoryAdminMixin,
    StaleEditAdminMixin,
    PlanScopedMixin,
    nested_admin.NestedModelAdmin,  # type: ignore[misc]
):
    """Base admin of a register: plan filter first, plan-scoped choices, Czech inputs."""

    list_per_page = 50
    save_on_top = True

    def get_form(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        request._smartplan_plan_id = _plan_id_for(request, obj)  # type: ignore[attr-defined]
        return super().get_form(request, obj, **kwargs)

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        pages = register_page_urls(self.admin_site.admin_view, self, "{}_{}".format(*info))
        return [*pages, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        info = self.model._meta.app_label, self.model._meta.model_name
        buttons = [
            (reverse("admin:{}_{}_{}".format(*info, button.page), args=button.args), button.label)
            for button in register_buttons(self.model)
        ]
        # Django's "Select %s to change" doubles the noun in Czech; name the register instead.
        context: dict[str, Any] = {
            "title": capfirst(self.model._meta.verbose_name_plural),
            "register_buttons": buttons,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = [f for f in super().get_list_filter(request) if f != "plan"]
        return ["plan", *[_scoped_filter(f, self.model) for f in filters]]


class PlanScopedInlineMixin(StaleEditInlineMixin, PlanScopedMixin):
    """Inline rows inherit the plan of their parent row when saved."""

    def get_formset(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        if obj is not None:
            request._smartplan_plan_id = obj.plan_id if hasattr(obj, "plan_id") else obj.pk  # type: ignore[attr-defined]
        formset = super().get_formset(request, obj, **kwargs)
        return formset


class PlanScopedTabularInline(PlanScopedInlineMixin, nested_admin.NestedTabularInline):  # type: ignore[misc]
    extra = 0
    exclude = ("plan",)


class PlanScopedStackedInline(PlanScopedInlineMixin, nested_admin.NestedStackedInline):  # type: ignore[misc]
    extra = 0
    exclude = ("plan",)
