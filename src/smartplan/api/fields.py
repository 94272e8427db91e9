"""Inputs typed the Czech way, accepted whatever the language of the request.

Dates: ``31. 12. 2022``, ``31.12.2022`` or ISO ``2022-12-31``. Numbers: ``1 234,5`` (with a
space, a non-breaking space or none), ``1234.5``, or a JSON number. Output stays ISO dates
and decimal strings with a point, as the schema says.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from smartplan.core.czech_values import parse_date, parse_decimal


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    return parse_date(value) if isinstance(value, str) else None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            parsed = Decimal(str(value))
        except ArithmeticError:
            return None
        return parsed if parsed.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return parse_decimal(value) if isinstance(value, str) and len(value) <= 100 else None


class CzechDateField(serializers.DateField):
    """A date as ``31. 12. 2022``, ``31.12.2022`` or ``2022-12-31``."""

    default_error_messages = {
        "invalid": _("Enter a date as 31. 12. 2022 or 2022-12-31."),
        "datetime": _("Enter a date without a time."),
    }

    def to_internal_value(self, value: Any) -> dt.date:
        parsed = _date(value)
        if parsed is None:
            self.fail("invalid")
        assert parsed is not None
        return parsed


class CzechDecimalField(serializers.DecimalField):
    """A number as ``1 234,5``, ``1234.5`` or a JSON number."""

    default_error_messages = {
        "invalid": _("Enter a number such as 1 234,5 or 1234.5."),
    }

    def to_internal_value(self, data: Any) -> Decimal:
        parsed = _decimal(data)
        if parsed is None:
            self.fail("invalid")
        return super().to_internal_value(str(parsed))


class CzechDateFormField(forms.DateField):
    """The same dates for a query filter (``?date__gte=31.12.2022``)."""

    default_error_messages = {"invalid": _("Enter a date as 31. 12. 2022 or 2022-12-31.")}

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        parsed = _date(value)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class IdFormField(forms.IntegerField):
    """A row id in a query filter: a positive integer that fits the database."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and len(value) > 30:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        result: int | None = super().to_python(value)
        return result
