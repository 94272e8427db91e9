"""The public stack's filter form (a GET form: the address says what is shown)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartplan.plans.models import Area, Plan
from smartplan.portal.filter_forms import mark_errors
from smartplan.portal.selectors_stack import StackFilter
from smartplan.projects.models import FlagshipProject
from smartplan.stack.models import StackStatus

SORT_CHOICES = [
    ("number", _("number")),
    ("name", _("name (A–Z)")),
    ("-name", _("name (Z–A)")),
    ("status", _("status")),
    ("-finance", _("cost (highest first)")),
    ("finance", _("cost (lowest first)")),
    ("area", _("area")),
]


class StackFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Accents and capital letters do not matter."),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("all areas"),
        error_messages={"invalid_choice": _("This plan has no such area.")},
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("", _("all statuses")), *StackStatus.choices],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Unknown status “%(value)s”; choose 1 to 4.")},
    )
    flagship = forms.ModelChoiceField(
        label=_("Flagship project"),
        queryset=FlagshipProject.objects.none(),
        required=False,
        empty_label=_("all projects"),
        error_messages={"invalid_choice": _("This plan has no such flagship project.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("The stack cannot be sorted by “%(value)s”.")},
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(plan=plan).order_by("order", "name")
        flagship_field = self.fields["flagship"]
        assert isinstance(flagship_field, forms.ModelChoiceField)
        flagship_field.queryset = FlagshipProject.objects.filter(plan=plan).order_by("number")

    def mark_errors(self) -> None:
        """Ties help texts and errors to their fields (aria-describedby, aria-invalid)."""
        mark_errors(self)

    def wanted(self) -> StackFilter:
        """What to show: the valid fields as asked, an invalid field as if left empty."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return StackFilter(
            area=data.get("area"),
            status=data.get("status"),
            flagship=data.get("flagship"),
            query=data.get("q") or "",
            sort=data.get("sort") or "number",
        )
