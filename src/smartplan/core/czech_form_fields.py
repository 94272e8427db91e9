"""Form fields that read numbers typed the Czech way whatever the interface language.

Django's localized DecimalField reads input by the active language's separators: in
English it drops a comma as a thousands separator, so ``1,5`` became 15. Here a number is
read by ``czech_values.parse_decimal`` in every language: ``1 234,5``, ``1234,5``,
``1234.5`` and ``1,234.5`` are all read; a lone comma is the decimal comma. Dates need no
field of their own: every language's DATE_INPUT_FORMATS (core/formats) accepts
``31. 12. 2022``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats

from smartplan.core.czech_values import parse_decimal


class CzechNumberInput(forms.TextInput):
    """Shows a number in the active language without a thousands separator that could be
    read as a decimal one (English ``1,234`` would come back as 1,234 = 1.234)."""

    def format_value(self, value: Any) -> str | None:
        text = super().format_value(value)
        separator = formats.get_format("THOUSAND_SEPARATOR")
        numeric = isinstance(value, Decimal | int | float)
        if text and numeric and self.is_localized and separator in {",", "."}:
            text = text.replace(separator, "")
        return text


class CzechDecimalField(forms.DecimalField):
    """A decimal field that reads Czech notation in every interface language."""

    widget = CzechNumberInput

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            if value.strip() in self.empty_values:
                return None
            parsed = parse_decimal(value)
            if parsed is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return parsed
        return super().to_python(value)
