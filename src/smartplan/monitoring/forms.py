"""The value form of "my indicators": entering a new value, changing a stored one.

Both carry where the edit started, signed (``core.stale_edits``): the new-value form the
version of each value the page showed (a date without one: 0), the change form the value's
version and its fields as shown. A value stored or changed by someone else meanwhile is then
refused with what changed, never saved over.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from smartplan.core.czech_form_fields import CzechDecimalField
from smartplan.core.czech_format import format_date
from smartplan.core.stale_edits import (
    EditBase,
    EditBaseDamagedError,
    EditBaseField,
    canonical,
    changes_meanwhile,
    edit_base_damaged_message,
    edit_base_dumps,
    edit_base_loads,
    stale_edit_lines,
)
from smartplan.indicators.models import Measurement, SubIndicator

SEEN_SALT = "smartplan.monitoring.values-seen"


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

    # The versions of the values the page showed (see the module docstring).
    seen = EditBaseField()

    def __init__(self, *args: Any, sub_indicator: SubIndicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sub_indicator = sub_indicator
        if sub_indicator.kind == SubIndicator.Kind.MILESTONE:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Achieved?"),
                choices=[("0", _("not yet")), ("1", _("yes, achieved"))],
                coerce=int,
            )
        elif sub_indicator.unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": sub_indicator.unit}

    def seen_set(self, values: Iterable[Measurement]) -> None:
        """Remember the values the page shows (an unbound form's hidden field)."""
        payload = {
            "sub": self.sub_indicator.pk,
            "versions": {value.date.isoformat(): value.version for value in values},
        }
        self.initial["seen"] = signing.dumps(payload, salt=SEEN_SALT, compress=True)

    def clean(self) -> dict[str, Any]:
        """``based_on_version``: the version of the value at the entered date when the page
        was opened (0: there was none); ``None`` for a form without the record (an old page:
        the rules update the stored value)."""
        data = super().clean() or {}
        self.based_on_version: int | None = None
        token, date = data.get("seen"), data.get("date")
        if not token or date is None:
            return data
        try:
            payload = signing.loads(token, salt=SEEN_SALT)
        except signing.BadSignature:
            payload = None
        if not isinstance(payload, dict) or payload.get("sub") != self.sub_indicator.pk:
            self.add_error(None, edit_base_damaged_message())
            return data
        self.based_on_version = int(payload["versions"].get(date.isoformat(), 0))
        return data


class MeasurementChangeForm(MeasurementForm):
    """Changing a stored value: the same fields; the value is found by its id, not its date.

    Carries the value's version and fields as shown (``edit_base``)."""

    edit_base = EditBaseField()

    def __init__(self, *args: Any, measurement: Measurement, **kwargs: Any) -> None:
        super().__init__(*args, sub_indicator=measurement.sub_indicator, **kwargs)
        self.measurement = measurement
        if not self.is_bound:
            self.initial["edit_base"] = edit_base_dumps(
                obj=measurement, values=measurement_form_values(measurement)
            )

    def edit_start(self) -> EditBase | None:
        """Where the edit started; ``None`` for a form without it (an old page)."""
        token = self.cleaned_data.get("edit_base")
        if not token:
            return None
        try:
            return edit_base_loads(token, obj=self.measurement)
        except EditBaseDamagedError:
            self.add_error(None, edit_base_damaged_message())
            return None

    def clean(self) -> dict[str, Any]:
        """Refuse an edit of a value someone changed since the form was opened."""
        data = super().clean() or {}
        base = self.edit_start()
        if base is None:
            return data
        current = Measurement.objects.filter(pk=self.measurement.pk).first()
        if current is None or current.version == base.version:
            return data  # a deleted value: the action says so
        labels = {name: str(field.label) for name, field in self.fields.items()}
        changes = changes_meanwhile(
            model=Measurement,
            before=base.values,
            now={k: canonical(v) for k, v in measurement_form_values(current).items()},
            labels=labels,
        )
        label = _("%(code)s at %(date)s") % {
            "code": self.sub_indicator.code,
            "date": format_date(current.date),
        }
        self.add_error(None, forms.ValidationError(stale_edit_lines(obj=label, changes=changes)))
        return data


def measurement_form_values(measurement: Measurement) -> dict[str, Any]:
    """A stored value as the value form shows it (its initial data)."""
    return {
        "date": measurement.date,
        "period_start": measurement.period_start,
        "value": measurement.value,
        "final": measurement.status == "final",
        "note": measurement.note,
    }
