from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartplan.core.czech_form_fields import CzechDecimalField
from smartplan.indicators.models import SubIndicator


class MeasurementForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the value"),
        help_text=_("For a period: its last day. E.g. 31. 12. 2021."),
        localize=True,
    )
    period_start = forms.DateField(label=_("Period from (optional)"), required=False, localize=True)
    value = CzechDecimalField(label=_("Value"), max_digits=20, decimal_places=4, localize=True)
    final = forms.BooleanField(
        label=_("Final value"),
        required=False,
        help_text=_("A final value can later be changed only with a reason, kept in history."),
    )
    note = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the value puts the indicator off track."),
    )
    # A value for a date that already has one changes it: a final one only with a reason.
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the value was final."),
    )

    def __init__(self, *args: Any, sub_indicator: SubIndicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sub_indicator.kind == SubIndicator.Kind.MILESTONE:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Achieved?"),
                choices=[("0", _("not yet")), ("1", _("yes, achieved"))],
                coerce=int,
            )
        elif sub_indicator.unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": sub_indicator.unit}


class MeasurementChangeForm(MeasurementForm):
    """Changing a stored value: the same fields; the value is found by its id, not its date."""
