"""The public stack's filter form (a GET form: the address says what is shown)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartplan.portal.filter_forms import PlanFilterForm
from smartplan.portal.selectors_stack import StackFilter
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


class StackFilterForm(PlanFilterForm):
    field_order = ["q", "area", "status", "flagship", "sort"]

    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("", _("all statuses")), *StackStatus.choices],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Unknown status “%(value)s”; choose 1 to 4.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("The stack cannot be sorted by “%(value)s”.")},
    )

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
