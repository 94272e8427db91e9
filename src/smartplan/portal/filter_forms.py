"""What the portal's GET filter forms share."""

from __future__ import annotations

from django import forms


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
