"""Rows prepared with :class:`PreparedRows` are what each field's ``get_db_prep_save`` gives,
value by value, whatever repeats down a column and whatever looks alike across types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from smartplan.core.db_values import PreparedRows
from smartplan.indicators.models import Measurement
from smartplan.stack.models import StackItem


def _one_by_one(fields: list[Any], rows: list[list[Any]]) -> list[list[Any]]:
    return [
        [field.get_db_prep_save(v, connection) for field, v in zip(fields, row, strict=True)]
        for row in rows
    ]


def test_rows_equal_preparing_every_value() -> None:
    fields = [Measurement._meta.get_field(name) for name in ("date", "value", "note", "plan")]
    fields += [Measurement._meta.get_field("created_at"), StackItem._meta.get_field("status")]
    stamp = timezone.now()
    rows: list[list[Any]] = [
        [dt.date(2024, 1, 1), Decimal("1.50"), "poznámka", 1, stamp, 1],
        [dt.date(2024, 1, 1), Decimal("1.5"), "poznámka", 1, stamp, 1],  # repeated values
        [dt.date(2024, 1, 2), Decimal("0"), "", 2, stamp + dt.timedelta(seconds=1), 2],
        # the same datetime value in a new object, then the first object again
        [dt.date(2024, 1, 2), Decimal("-3.25"), "", True, timezone.now(), 3],
        [dt.date(2024, 1, 1), None, "poznámka", False, stamp, 1],
    ]
    prepared = PreparedRows(fields, connection)
    assert [prepared.row(row) for row in rows] == _one_by_one(fields, rows)


def test_equal_values_of_other_types_are_prepared_apart() -> None:
    """``True == 1`` and a datetime equals no date, yet each is prepared as itself."""
    field = Measurement._meta.get_field("note")
    prepared = PreparedRows([field], connection)
    values: list[Any] = [1, True, "1", 1.0, dt.date(2024, 1, 1), "2024-01-01"]
    assert [prepared.row([v])[0] for v in values] == [
        field.get_db_prep_save(v, connection) for v in values
    ]
    assert prepared.row([True]) == [field.get_db_prep_save(True, connection)]


def test_a_changed_object_in_a_column_is_prepared_again() -> None:
    field = Measurement._meta.get_field("created_at")
    prepared = PreparedRows([field], connection)
    first, second = timezone.now(), timezone.now() + dt.timedelta(days=1)
    assert prepared.row([first]) == [field.get_db_prep_save(first, connection)]
    assert prepared.row([second]) == [field.get_db_prep_save(second, connection)]
    assert prepared.row([first]) == [field.get_db_prep_save(first, connection)]
