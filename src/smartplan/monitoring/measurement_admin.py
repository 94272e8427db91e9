"""The editing interface of measured values: every save goes through the measurement action.

The values belong to the indicators app, their rules to monitoring; so monitoring registers
their admin and adds the values' inline under each sub-indicator.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet

from smartplan.core import czech_format
from smartplan.core.admin_filters import year_filter
from smartplan.core.plan_admin import PlanScopedAdmin, PlanScopedTabularInline
from smartplan.core.stale_edit_admin import StaleEditFormMixin
from smartplan.indicators.admin import measurement_inline_use
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.actions.measurements import (
    MeasurementEntry,
    SaveMeasurements,
    measurement_save,
)


class MeasurementAdminForm(StaleEditFormMixin, forms.ModelForm[Measurement]):
    """A measured value in the editing interface: the measurement action's rules decide.

    ``clean`` shows the action's problems on the fields they are about (a missing reason on
    "reason"); saving goes through the action, which keeps the revision of a final value
    and refuses an edit of a value changed since the form was opened.
    """

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the value was final."),
    )

    def entry(self, sub_indicator: SubIndicator | None = None) -> MeasurementEntry:
        data = self.cleaned_data
        return MeasurementEntry(
            sub_indicator=sub_indicator or data.get("sub_indicator") or self.instance.sub_indicator,
            date=data["date"],
            period_start=data.get("period_start"),
            value=data["value"],
            note=data.get("note", ""),
            final=data.get("status") == "final",
            reason=data.get("reason", ""),
            measurement_id=self.instance.pk,
            based_on_version=self.based_on_version,
        )

    def _get_validation_exclusions(self) -> set[str]:
        # A value at a date that already has one updates that value (the action's rule):
        # the model's one-value-per-date constraint must not refuse the form first.
        return {*super()._get_validation_exclusions(), "sub_indicator"}  # type: ignore[misc]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not self.has_changed():
            return data
        if not (data.get("sub_indicator") or self.instance.sub_indicator_id):
            return data
        for problem in SaveMeasurements([self.entry()]).check():
            name = problem.field
            field = self.fields.get(name) if name else None
            self.add_error(
                name if field is not None and not field.widget.is_hidden else None, problem.message
            )
        return data


class MeasurementFormSet(NestedInlineFormSet):  # type: ignore[misc]
    """Rows of values under a sub-indicator, each saved through the measurement action."""

    user: Any = None

    def save_new(self, form: MeasurementAdminForm, commit: bool = True) -> Measurement:
        return measurement_save(entry=form.entry(self.instance), user=self.user)

    def save_existing(
        self, form: MeasurementAdminForm, obj: Measurement, commit: bool = True
    ) -> Measurement:
        return measurement_save(entry=form.entry(self.instance), user=self.user)


class MeasurementInline(PlanScopedTabularInline):
    model = Measurement
    form = MeasurementAdminForm
    formset = MeasurementFormSet
    fields = ("period_start", "date", "value", "status", "note", "reason")
    ordering = ("-date",)
    # A sub-indicator may hold years of monthly values: show the latest, link to the rest.
    max_num = None

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("-date")

    def get_formset(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


class RevisionInline(PlanScopedTabularInline):
    model = MeasurementRevision
    fields = (
        "old_date",
        "old_value",
        "old_status",
        "old_note",
        "reason",
        "changed_by",
        "created_at",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Measurement)
class MeasurementAdmin(PlanScopedAdmin):
    list_display = ("sub_indicator", "date", "value_display", "status", "entered_by")
    list_filter = (
        "sub_indicator__indicator__project",
        "sub_indicator__indicator",
        year_filter("date"),
    )
    search_fields = ("note", "sub_indicator__name", "sub_indicator__code")
    list_select_related = ("sub_indicator", "entered_by", "plan")
    # Counts beside every filter choice would count a million values per choice.
    show_facets = admin.ShowFacets.NEVER
    form = MeasurementAdminForm
    exclude = ("entered_by",)
    inlines = [RevisionInline]

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, measurement: Measurement) -> str:
        return czech_format.format_number(measurement.value)

    def save_model(self, request: HttpRequest, obj: Measurement, form: Any, change: bool) -> None:
        """Through the measurement action: it keeps a final value's revision and its rules."""
        saved = measurement_save(entry=form.entry(), user=request.user)
        obj.pk, obj.entered_by_id, obj.created_at = saved.pk, saved.entered_by_id, saved.created_at


measurement_inline_use(MeasurementInline)
