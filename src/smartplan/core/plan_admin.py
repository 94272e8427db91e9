"""Admin building blocks for plan-scoped registers.

A coordinator works plan by plan: every register list filters by plan first, and every
choice of a related row (area, department, project, …) offers only rows of the same plan.
Decimal inputs accept Czech notation (``1 234,5``).

Every permission question is asked of the row itself, ``user.has_perm(perm, obj)``, and
every list and choice is cut to ``core.access_scope.rows_permitted``: the access app's
roles answer both (:class:`ObjectPermissionsMixin`). Without an object (the register's
list, the add page) the question is whether the user could do it in some plan. A saved
form is asked again with its new values, so a row cannot be added to, or moved into, a plan
or a project the user has no role for. Who enters the interface at all is Django's
``is_staff``, which granting a role sets.
"""

from __future__ import annotations

from typing import Any

import nested_admin
from django import forms
from django.contrib.admin import helpers, widgets
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import ForeignKey, ManyToManyField, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from smartplan.core.access_scope import plans_permitted, rows_permitted
from smartplan.core.admin_extensions import register_buttons, register_page_urls
from smartplan.core.admin_filters import (
    BoundedRelatedFilter,
    CappedCountPaginator,
    PlanValuesFilter,
)
from smartplan.core.czech_form_fields import CzechDecimalField
from smartplan.core.history_admin import HistoryAdminMixin
from smartplan.core.list_page_cache import (
    list_page_context,
    list_page_finish,
    list_page_get,
    list_page_key,
)
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


def model_perm(model: type[models.Model], action: str) -> str:
    """``"projects.change_activity"`` for ``(Activity, "change")``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _is_register(model: Any) -> bool:
    """Rows the access rules know: plan-scoped registers and the plans themselves."""
    if not isinstance(model, type) or not issubclass(model, models.Model):
        return False
    meta = model._meta
    return issubclass(model, PlanScoped) or (meta.app_label, meta.model_name) == ("plans", "plan")


def _refused_message(action: str) -> str:
    if action == "add":
        return _("You may not add this row here: your role does not reach this plan or part of it.")
    return _("You may not save this row so: your role does not reach this plan or part of it.")


def form_permission_checked(form_class: Any, user: Any, model: type[models.Model]) -> Any:
    """``form_class`` whose validation also asks whether ``user`` may add or change the row
    with its new values (in its plan, under its project)."""

    class PermissionCheckedForm(form_class):  # type: ignore[misc]
        def _post_clean(self) -> None:
            super()._post_clean()
            instance = self.instance
            action = "add" if instance._state.adding else "change"
            if not self.has_changed() and action == "add":
                return  # an empty extra inline row is not saved
            if not user.has_perm(model_perm(model, action), instance):
                self.add_error(None, _refused_message(action))

    PermissionCheckedForm.__name__ = form_class.__name__
    return PermissionCheckedForm


class ObjectPermissionsMixin:
    """The editing interface's permission methods, asked of the row (see the module)."""

    model: Any

    def _may(self, request: HttpRequest, action: str, obj: Any | None = None) -> bool:
        return bool(request.user.has_perm(model_perm(self.model, action), obj))

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may(request, "view", obj) or self._may(request, "change", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may(request, "delete", obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return rows_permitted(request.user, queryset, "view")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return self._choices_permitted(field, request, db_field)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return self._choices_permitted(field, request, db_field)

    def _choices_permitted(self, field: Any, request: HttpRequest, db_field: Any) -> Any:
        """Plans the user may add or change rows in; related rows they may view."""
        if field is None or not hasattr(field, "queryset"):
            return field
        user = request.user
        if db_field.name == "plan" and _is_register(field.queryset.model):
            field.queryset = plans_permitted(user, model_perm(self.model, "add")) | plans_permitted(
                user, model_perm(self.model, "change")
            )
        elif _is_register(field.queryset.model):
            field.queryset = rows_permitted(user, field.queryset, "view")
        return field


class PlanScopedMixin(ObjectPermissionsMixin):
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
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        plan_id = getattr(request, "_smartplan_plan_id", None)
        if field is not None and db_field.name != "plan" and hasattr(field, "queryset"):
            field.queryset = self._scoped(field.queryset, plan_id)
        return field

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        plan_id = getattr(request, "_smartplan_plan_id", None)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._scoped(field.queryset, plan_id)
        return field


def _column_ordering(model: type[models.Model], item: Any) -> Any:
    """``"plan"`` → ``"plan_id"``: order by the foreign key's column, not by the related
    table's own ordering, which joins it and sorts every row of the list (a million values
    sorted by plan period and name, sub-indicator and indicator number: 3.5 s a page)."""
    if not isinstance(item, str):
        return item
    sign, name = ("-", item[1:]) if item.startswith("-") else ("", item)
    if "__" in name or name == "?":
        return item
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return item
    if isinstance(field, ForeignKey):
        return f"{sign}{field.attname}"
    return item


def _scoped_filter(spec: Any, model: type[models.Model]) -> Any:
    """A filter named by a field path, bounded when it lists rows of a table that grows:
    related rows through :class:`BoundedRelatedFilter`, a column's values in the plan only."""
    if not isinstance(spec, str):
        return spec
    try:
        field = get_fields_from_path(model, spec)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return spec
    if field.is_relation:
        return (spec, BoundedRelatedFilter)
    if getattr(field, "choices", None) or isinstance(field, models.BooleanField):
        return spec  # a fixed list
    return (spec, PlanValuesFilter)


class PlanScopedAdmin(
    HistoryAdminMixin,
    StaleEditAdminMixin,
    PlanScopedMixin,
    nested_admin.NestedModelAdmin,  # type: ignore[misc]
):
    """Base admin of a register: plan filter first, plan-scoped choices, Czech inputs."""

    list_per_page = 50
    save_on_top = True
    # One COUNT per page, not two: the "of N in total" line counted every permitted row
    # again (a million values); "Show all" remains.
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_form(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        request._smartplan_plan_id = _plan_id_for(request, obj)  # type: ignore[attr-defined]
        form = super().get_form(request, obj, **kwargs)
        return form_permission_checked(form, request.user, self.model)

    def action_checkbox(self, obj: Any) -> str:
        """Django's checkbox of a row, the same HTML written directly: Django renders a form
        widget through its template for each row, a third of a 50-row list's time."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "add")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Forms ask already; this also covers the list's editable columns.
        if not self._may(request, "change" if change else "add", obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if not self._may(request, "delete", obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The list's "delete selected": only when every selected row may be deleted."""
        permitted = rows_permitted(request.user, queryset, "delete")
        if permitted.count() != queryset.count():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        pages = register_page_urls(self.admin_site.admin_view, self, "{}_{}".format(*info))
        return [*pages, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        # A list page is kept until what it shows changes (core.list_page_cache).
        key = list_page_key(request, self.model, today=timezone.localdate())
        if key is not None:
            kept = list_page_get(key, request)
            if kept is not None:
                return kept
        info = self.model._meta.app_label, self.model._meta.model_name
        buttons = [
            (reverse("admin:{}_{}_{}".format(*info, button.page), args=button.args), button.label)
            for button in register_buttons(self.model)
        ]
        # Django's "Select %s to change" doubles the noun in Czech; name the register instead.
        context: dict[str, Any] = {
            "title": capfirst(self.model._meta.verbose_name_plural),
            "register_buttons": buttons,
            **list_page_context(key),
            **(extra_context or {}),
        }
        response = super().changelist_view(request, extra_context=context)
        listed = getattr(response, "context_data", None)
        if listed and "cl" in listed:
            self.changelist_context_add(request, listed)
        return list_page_finish(key, request, response)

    def changelist_context_add(self, request: HttpRequest, context: dict[str, Any]) -> None:
        """Add to the context of a list about to be rendered (``context["cl"]`` is Django's
        change list, its ``queryset`` the filtered rows); for registers that show more."""

    def get_ordering(self, request: HttpRequest) -> Any:
        """The register's ordering on its own columns (rows of a plan together, by its
        related rows' ids): the list's first page reads an index, not a sort of the table."""
        ordering = super().get_ordering(request) or self.model._meta.ordering
        return [_column_ordering(self.model, item) for item in ordering]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = [f for f in super().get_list_filter(request) if f != "plan"]
        return [_scoped_filter(f, self.model) for f in ["plan", *filters]]


def inline_probe(model: type[models.Model], parent: Any | None) -> Any | None:
    """An unsaved row of ``model`` under ``parent``: what an inline's permission questions
    are asked of (a row under this project, in this plan)."""
    if parent is None:
        return None
    for field in model._meta.concrete_fields:
        related = field.related_model if field.many_to_one else None
        if isinstance(related, type) and isinstance(parent, related):
            probe = model(**{field.name: parent})
            if isinstance(probe, PlanScoped) and not probe.plan_id:
                probe.plan_id = getattr(parent, "plan_id", None) or parent.pk
            return probe
    return None


class InlinePermissionsMixin(ObjectPermissionsMixin):
    """An inline's permissions, asked of a row under the edited parent row."""

    def _may(self, request: HttpRequest, action: str, obj: Any | None = None) -> bool:
        return super()._may(request, action, inline_probe(self.model, obj))

    def has_add_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may(request, "add", obj)

    def get_formset(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        formset.form = form_permission_checked(formset.form, request.user, self.model)
        return formset


class PlanScopedInlineMixin(StaleEditInlineMixin, InlinePermissionsMixin, PlanScopedMixin):
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
