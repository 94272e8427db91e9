"""What the portal's GET filter forms share: the search box, the plan's areas and flagship
projects as choices, and errors tied to their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartplan.plans.models import Area, Plan
from smartplan.portal.long_select import LongSelect
from smartplan.projects.models import FlagshipProject


def mark_errors(form: forms.Form) -> None:
    """Ties each field's help text and error message to it for screen readers; the
    template ``portal/_filter_fields.html`` gives them the ids ``<field id>-napoveda`` and
    ``<field id>-chyba``."""
    for name, field in form.fields.items():
        bound = form[name]
        described = []
        if field.help_text:
            described.append(f"{bound.id_for_label}-napoveda")
        if name in form.errors:
            described.append(f"{bound.id_for_label}-chyba")
            field.widget.attrs["aria-invalid"] = "true"
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)


class PlanFilterForm(forms.Form):
    """Search, area and flagship project of one plan (a subclass orders its own fields in
    with ``field_order``)."""

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
    flagship = forms.ModelChoiceField(
        label=_("Flagship project"),
        queryset=FlagshipProject.objects.none(),
        required=False,
        empty_label=_("all projects"),
        widget=LongSelect,
        error_messages={"invalid_choice": _("This plan has no such flagship project.")},
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(plan=plan).order_by("order", "name")
        flagship_field = self.fields["flagship"]
        assert isinstance(flagship_field, forms.ModelChoiceField)
        # A national plan has hundreds of projects: their options need no more than this.
        flagship_field.queryset = (
            FlagshipProject.objects.filter(plan=plan)
            .only("pk", "number", "name")
            .order_by("number")
        )

    def mark_errors(self) -> None:
        """Ties help texts and errors to their fields (aria-describedby, aria-invalid)."""
        mark_errors(self)
