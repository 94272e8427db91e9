from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet

from smartplan.core import czech_format
from smartplan.core.plan_admin import (
    PlanScopedAdmin,
    PlanScopedStackedInline,
    PlanScopedTabularInline,
)
from smartplan.indicators.models import Indicator, Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.actions.measurements import (
    MeasurementEntry,
    SaveMeasurements,
    measurement_save,
)


class MeasurementAdminForm(forms.ModelForm[Measurement]):
    """A measured value in the editing interface: the measurement action's rules decide.

    ``clean`` shows the action's problems on the fields they are about (a missing reason on
    "reason"); saving goes through the action, which keeps the revision of a final value.
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
        )

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


class SubIndicatorInline(PlanScopedStackedInline):
    model = SubIndicator
    fields = (
        ("code", "name"),
        "description",
        ("kind", "unit", "direction", "aggregation"),
        ("baseline_value", "baseline_date"),
        ("target_value", "target_date", "target_is_relative"),
        "target_text",
        ("weight", "source"),
        "formula",
        ("observation_series", "observation_method", "observation_baseline_year"),
    )
    inlines = [MeasurementInline]


@admin.register(Indicator)
class IndicatorAdmin(PlanScopedAdmin):
    list_display = (
        "number",
        "name",
        "project",
        "specific_goal",
        "frequency",
        "last_update_display",
    )
    list_display_links = ("number", "name")
    list_filter = ("project", "strategic_goals", "frequency")
    search_fields = ("name", "description", "sub_indicators__name")
    list_select_related = ("project", "specific_goal", "plan")
    filter_horizontal = ("strategic_goals",)
    inlines = [SubIndicatorInline]
    fieldsets = (
        (None, {"fields": ("plan", ("number", "name"), "project")}),
        (_("Goals"), {"fields": ("strategic_goals", "specific_goal", "specific_goal_note")}),
        (
            _("Card"),
            {
                "fields": (
                    "description",
                    "future_indicators_intro",
                    "future_indicators",
                    "target_state",
                    "data_source",
                    "methodology",
                    ("frequency", "frequency_text"),
                    "last_update",
                )
            },
        ),
        (
            _("Responsibility"),
            {
                "fields": (
                    "responsible_organisation",
                    "responsible_department",
                    "responsible_person",
                )
            },
        ),
    )

    @admin.display(description=_("last update"), ordering="last_update")
    def last_update_display(self, indicator: Indicator) -> str:
        return czech_format.format_month_numeric(indicator.last_update)


@admin.register(SubIndicator)
class SubIndicatorAdmin(PlanScopedAdmin):
    list_display = ("code", "name", "indicator", "kind", "baseline", "target", "target_date")
    list_display_links = ("code", "name")
    list_filter = ("kind", "indicator__project", "indicator")
    search_fields = ("code", "name", "description")
    list_select_related = ("indicator", "plan")
    inlines = [MeasurementInline]

    @admin.display(description=_("baseline"))
    def baseline(self, sub: SubIndicator) -> str:
        return czech_format.format_number(sub.baseline_value)

    @admin.display(description=_("target value"), ordering="target_value")
    def target(self, sub: SubIndicator) -> str:
        value = czech_format.format_number(sub.target_value)
        return f"{value} {sub.unit}".strip() if value else "—"


@admin.register(Measurement)
class MeasurementAdmin(PlanScopedAdmin):
    list_display = ("sub_indicator", "date", "value_display", "status", "entered_by")
    list_filter = ("sub_indicator__indicator__project", "sub_indicator__indicator")
    search_fields = ("note", "sub_indicator__name", "sub_indicator__code")
    list_select_related = ("sub_indicator", "entered_by", "plan")
    date_hierarchy = "date"
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
