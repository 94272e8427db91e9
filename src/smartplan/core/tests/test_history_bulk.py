"""Bulk writes keep the history simple-history itself would keep, in the open change set.

``history_bulk_create`` and ``history_bulk_update`` write the history rows with one
``executemany`` instead of simple-history's ``bulk_history_create``; these tests compare
what they store with what simple-history stores for the same rows, field by field.
"""

from decimal import Decimal

import pytest
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from smartplan.core.change_sets import (
    Channel,
    change_set_open,
    history_bulk_create,
    history_bulk_update,
)
from smartplan.plans.models import Area
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

# What may differ between two writes of the same rows: the record's own number and time,
# the row's key and times (two writes create two rows, a moment apart).
_OWN = {"history_id", "history_date", "id", "created_at", "updated_at"}


def _items(plan, first: int) -> list[StackItem]:
    area = Area.objects.filter(plan=plan).first()
    return [
        StackItem(
            plan=plan,
            number=first + n,
            area=area,
            name=f"Položka {n} – „úvozovky“ a =vzorec",
            description="" if n % 2 else "Popis\nna dva řádky",
            status=1 + n % 4,
            finance_mil=Decimal("1.250") * n if n % 3 else None,
            duration_years=n % 5 or None,
            year_added=2020 + n % 4 if n % 2 else None,
        )
        for n in range(25)
    ]


def _records(ids: list[int], history_type: str) -> list[dict[str, object]]:
    rows = StackItem.history.filter(id__in=ids, history_type=history_type).order_by("id")
    return [
        {k: v for k, v in row.items() if k not in _OWN}
        | {"number": row["number"] % 1000}  # the two writes number their rows apart
        for row in rows.values()
    ]


def _stored(ids: list[int]) -> list[dict[str, object]]:
    rows = StackItem.objects.filter(id__in=ids).order_by("id").values()
    return [
        {k: v for k, v in row.items() if k not in _OWN} | {"number": row["number"] % 1000}
        for row in rows
    ]


def test_bulk_created_rows_have_the_records_simple_history_writes(demo_plan, admin_user):
    with change_set_open(channel=Channel.IMPORT, label="a.xlsx", user=admin_user) as scope:
        ours = history_bulk_create(StackItem, _items(demo_plan, 1000), batch_size=10)
        change_set_id = scope.change_set.pk
    reference = bulk_create_with_history(
        _items(demo_plan, 2000),
        StackItem,
        default_user=admin_user,
        custom_historical_attrs={"change_set_id": change_set_id},
    )
    assert all(obj.pk for obj in ours)
    # The rows themselves are stored as Django's bulk_create stores them, keys in order.
    assert [o.pk for o in ours] == sorted(o.pk for o in ours)
    assert _stored([o.pk for o in ours]) == _stored([o.pk for o in reference])
    assert [StackItem.objects.get(pk=o.pk).number for o in ours] == [o.number for o in ours]
    written = _records([o.pk for o in ours], "+")
    expected = _records([o.pk for o in reference], "+")
    assert len(written) == 25
    assert written == expected
    assert {r["history_user_id"] for r in written} == {admin_user.pk}
    assert {r["change_set_id"] for r in written} == {change_set_id}
    stored = StackItem.history.filter(id__in=[o.pk for o in ours]).order_by("id")
    assert [(r.created_at, r.updated_at) for r in stored] == [
        (o.created_at, o.updated_at) for o in ours
    ]


def test_bulk_updated_rows_have_the_records_simple_history_writes(demo_plan, admin_user):
    ours = StackItem.objects.bulk_create(_items(demo_plan, 1000))
    reference = StackItem.objects.bulk_create(_items(demo_plan, 2000))
    for objs in (ours, reference):
        for obj in objs:
            obj.name += " (změněno)"
            obj.finance_mil = Decimal("3.5")
    with change_set_open(channel=Channel.IMPORT, label="b.xlsx") as scope:
        history_bulk_update(StackItem, ours, ["name", "finance_mil"])
        change_set_id = scope.change_set.pk
    bulk_update_with_history(
        reference,
        StackItem,
        ["name", "finance_mil"],
        custom_historical_attrs={"change_set_id": change_set_id},
    )
    written = _records([o.pk for o in ours], "~")
    assert len(written) == 25
    assert written == _records([o.pk for o in reference], "~")
    assert all(r["name"].endswith("(změněno)") for r in written)
    assert {r["finance_mil"] for r in written} == {Decimal("3.5")}


def test_a_partial_bulk_update_records_every_field_of_the_row(demo_plan):
    full = StackItem.objects.bulk_create(_items(demo_plan, 1000))
    partial = [StackItem(pk=obj.pk, status=4) for obj in full]
    with change_set_open(channel=Channel.COMMAND, label="c"):
        history_bulk_update(StackItem, partial, ["status"], partial=True)
    written = _records([o.pk for o in full], "~")
    assert [r["status"] for r in written] == [4] * 25
    assert [r["name"] for r in written] == [o.name for o in full]
    assert all(r["history_change_reason"] == "" for r in written)
