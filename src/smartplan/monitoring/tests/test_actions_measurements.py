"""The measurement action: every rule, checked before anything is written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.core.problems import ChangeRefusedError, ImportRefusedError
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.actions.measurements import (
    KEEP,
    MeasurementEntry,
    SaveMeasurements,
    measurement_save,
    measurements_check,
    measurements_save,
)

pytestmark = pytest.mark.django_db
MID_2021 = dt.date(2021, 6, 30)


@pytest.fixture
def datasets(demo_plan):
    """8.1 open datasets: 0 → 5; 3 at mid-2021 is on track, 0 is off track."""
    return SubIndicator.objects.get(plan=demo_plan, code="8.1")


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("tvrznik", password="x")


def _final(sub, value=3, date=MID_2021, user=None):
    return measurement_save(
        entry=MeasurementEntry(sub_indicator=sub, date=date, value=Decimal(value), final=True),
        user=user,
    )


def test_a_final_value_changes_only_with_a_reason_and_keeps_its_old_content(datasets, user):
    stored = _final(datasets, user=user)
    change = MeasurementEntry(
        sub_indicator=datasets, date=MID_2021, value=Decimal(4), measurement_id=stored.pk
    )
    with pytest.raises(ChangeRefusedError) as refused:
        measurement_save(entry=change, user=user)
    [problem] = refused.value.problems
    assert problem.field == "reason"
    assert "8.1" in problem.message
    assert "30. 6. 2021" in problem.message
    assert "důvod" in problem.message
    stored.refresh_from_db()
    assert stored.value == 3
    assert not MeasurementRevision.objects.exists()

    changed = measurement_save(
        entry=MeasurementEntry(
            sub_indicator=datasets,
            date=MID_2021,
            value=Decimal(4),
            measurement_id=stored.pk,
            reason="  Započtena i datová sada o dopravě. ",
        ),
        user=user,
    )
    assert (changed.pk, changed.value, changed.status) == (stored.pk, 4, "final")
    revision = MeasurementRevision.objects.get(measurement=stored)
    assert (revision.old_value, revision.old_status, revision.changed_by, revision.reason) == (
        Decimal(3),
        "final",
        user,
        "Započtena i datová sada o dopravě.",
    )


def test_a_provisional_value_changes_freely_and_keeps_no_history(datasets):
    stored = measurement_save(
        entry=MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(3)), user=None
    )
    measurement_save(
        entry=MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(4)), user=None
    )
    stored.refresh_from_db()
    assert stored.value == 4
    assert not MeasurementRevision.objects.exists()


def test_an_entry_that_changes_nothing_needs_no_reason_and_writes_nothing(datasets):
    stored = _final(datasets)
    again = MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal("3.0"))
    saved = measurements_save(entries=[again], user=None)
    assert (saved.created, saved.updated, saved.unchanged) == (0, 0, 1)
    assert saved.ids == [stored.pk]
    assert not MeasurementRevision.objects.exists()


def test_a_value_for_a_stored_date_updates_that_value_through_the_same_rules(datasets):
    stored = _final(datasets)
    same_date = MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(5))
    problems = measurements_check(entries=[same_date])
    assert [p.field for p in problems] == ["reason"]
    saved = measurements_save(
        entries=[
            MeasurementEntry(
                sub_indicator=datasets, date=MID_2021, value=Decimal(5), reason="Oprava."
            )
        ],
        user=None,
    )
    assert (saved.created, saved.updated, saved.revisions) == (0, 1, 1)
    assert Measurement.objects.filter(sub_indicator=datasets).count() == 1
    stored.refresh_from_db()
    assert (stored.value, stored.status) == (5, "final")  # final=None keeps the state


def test_an_off_track_value_needs_a_note(datasets):
    bare = MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(0))
    [problem] = measurements_check(entries=[bare])
    assert problem.field == "note"
    assert "8.1 mimo plán" in problem.message
    assert "Pokrok" in problem.message  # the explanation says why
    with pytest.raises(ChangeRefusedError):
        measurement_save(entry=bare, user=None)
    assert not Measurement.objects.exists()
    explained = MeasurementEntry(
        sub_indicator=datasets, date=MID_2021, value=Decimal(0), note="Portál se zpozdil."
    )
    assert measurement_save(entry=explained, user=None).note == "Portál se zpozdil."


def test_a_sum_of_periods_is_assessed_with_the_values_before_it(demo_plan, make_sub):
    # 0 → 10 by the end of 2022, summed: 4 + 4 by mid-2021 is on track, 4 alone is not.
    sub = make_sub("8.8", aggregation=SubIndicator.Aggregation.SUM)
    first = MeasurementEntry(
        sub_indicator=sub, date=dt.date(2020, 12, 31), value=Decimal(4), note="x"
    )
    measurements_save(entries=[first], user=None)
    later = MeasurementEntry(sub_indicator=sub, date=MID_2021, value=Decimal(4))
    assert measurements_check(entries=[later]) == []
    alone = make_sub("8.7")
    assert [
        p.field
        for p in measurements_check(
            entries=[MeasurementEntry(sub_indicator=alone, date=MID_2021, value=Decimal(1))]
        )
    ] == ["note"]


def test_computed_sub_indicators_take_no_values(demo_plan, make_sub):
    computed = make_sub("8.9", source=SubIndicator.Source.FORMULA, formula="stack_count()")
    entry = MeasurementEntry(sub_indicator=computed, date=MID_2021, value=Decimal(1), note="x")
    [problem] = measurements_check(entries=[entry])
    assert problem.field == "sub_indicator"
    assert "8.9 se vypočítává automaticky" in problem.message


@pytest.mark.parametrize(("value", "refused"), [(0, False), (1, False), (2, True), ("0.5", True)])
def test_a_milestone_is_0_or_1(demo_plan, value, refused):
    centre = SubIndicator.objects.get(plan=demo_plan, code="6.1")
    entry = MeasurementEntry(
        sub_indicator=centre, date=MID_2021, value=Decimal(value), note="pozn."
    )
    fields = [p.field for p in measurements_check(entries=[entry])]
    assert fields == (["value"] if refused else [])


def test_a_period_does_not_start_after_it_ends(datasets):
    entry = MeasurementEntry(
        sub_indicator=datasets,
        date=MID_2021,
        period_start=dt.date(2021, 7, 1),
        value=Decimal(3),
    )
    [problem] = measurements_check(entries=[entry])
    assert (problem.field, problem.value) == ("period_start", "1. 7. 2021")
    assert "Období nemůže skončit dřív, než začne" in problem.message


def test_keep_leaves_the_stored_period_and_note(datasets):
    measurement_save(
        entry=MeasurementEntry(
            sub_indicator=datasets,
            date=MID_2021,
            period_start=dt.date(2021, 1, 1),
            value=Decimal(3),
            note="první pololetí",
        ),
        user=None,
    )
    measurement_save(
        entry=MeasurementEntry(
            sub_indicator=datasets, date=MID_2021, period_start=KEEP, value=Decimal(4)
        ),
        user=None,
    )
    stored = Measurement.objects.get(sub_indicator=datasets)
    assert (stored.value, stored.period_start, stored.note) == (
        Decimal(4),
        dt.date(2021, 1, 1),
        "první pololetí",
    )


def test_bulk_check_reports_every_problem_of_every_row_together(demo_plan, datasets):
    _final(datasets)
    centre = SubIndicator.objects.get(plan=demo_plan, code="6.1")
    entries = [
        MeasurementEntry(sub_indicator=datasets, date=dt.date(2021, 9, 30), value=Decimal(3)),
        MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(9), row=3),
        MeasurementEntry(sub_indicator=centre, date=MID_2021, value=Decimal(2), note="x", row=4),
        MeasurementEntry(
            sub_indicator=datasets, date=dt.date(2021, 9, 30), value=Decimal(4), row=5
        ),
        MeasurementEntry(sub_indicator=datasets, date=dt.date(2022, 6, 30), value=0, row=6),
    ]
    entries[0] = MeasurementEntry(
        sub_indicator=datasets, date=dt.date(2021, 9, 30), value=Decimal(3), row=2
    )
    action = SaveMeasurements(
        entries,
        columns={"value": "Hodnota", "reason": "Důvod změny", "note": "Poznámka"},
        source="mereni.csv",
    )
    problems = action.check()
    assert [(p.row, p.column, p.field) for p in problems] == [
        (3, "Důvod změny", "reason"),
        (4, "Hodnota", "value"),
        (5, None, "date"),
        (6, "Poznámka", "note"),
    ]
    assert "řádek 2" in problems[2].message
    with pytest.raises(ImportRefusedError) as refused:
        action.execute()
    text = str(refused.value)
    assert "mereni.csv nebyl naimportován (4 problémy)" in text
    assert "řádek 3, sloupec Důvod změny" in text
    assert Measurement.objects.count() == 1  # only the final value stored before
    assert Measurement.objects.get().value == 3


def test_bulk_save_writes_in_one_transaction_with_a_fixed_number_of_queries(
    demo_plan, datasets, user
):
    def save(count, start):
        entries = [
            MeasurementEntry(
                sub_indicator=datasets,
                date=start + dt.timedelta(days=n),
                value=Decimal(5),
                final=True,
            )
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            saved = measurements_save(entries=entries, user=user)
        assert saved.created == count
        return len(queries)

    few, many = save(3, dt.date(2021, 1, 1)), save(300, dt.date(2022, 1, 1))
    # Not one query per row: SQLite only splits the inserts (the rows, and their history
    # rows) into batches of ~80 rows.
    assert many <= few + 2 * (300 // 80)
    changes = [
        MeasurementEntry(
            sub_indicator=datasets,
            date=dt.date(2021, 1, 1) + dt.timedelta(days=n),
            value=Decimal(4),
            reason="Přepočet.",
        )
        for n in range(3)
    ]
    saved = measurements_save(entries=changes, user=user)
    assert (saved.updated, saved.revisions) == (3, 3)
    assert MeasurementRevision.objects.filter(reason="Přepočet.", changed_by=user).count() == 3


def test_editing_by_id_may_move_the_date_but_not_onto_another_value(datasets):
    first = _final(datasets, date=MID_2021)
    second = _final(datasets, value=4, date=dt.date(2021, 9, 30))
    onto_first = MeasurementEntry(
        sub_indicator=datasets,
        date=MID_2021,
        value=Decimal(4),
        measurement_id=second.pk,
        reason="Posun data.",
    )
    [problem] = measurements_check(entries=[onto_first])
    assert problem.field == "date"
    assert "již má hodnotu k 30. 6. 2021" in problem.message
    moved = measurement_save(
        entry=MeasurementEntry(
            sub_indicator=datasets,
            date=dt.date(2021, 10, 31),
            value=Decimal(4),
            measurement_id=second.pk,
            reason="Posun data.",
        ),
        user=None,
    )
    assert (moved.pk, moved.date) == (second.pk, dt.date(2021, 10, 31))
    assert MeasurementRevision.objects.get().old_date == dt.date(2021, 9, 30)
    first.refresh_from_db()
    assert first.value == 3


def test_two_entries_for_one_stored_value_collide(datasets):
    stored = _final(datasets)
    by_id = MeasurementEntry(
        sub_indicator=datasets,
        date=dt.date(2021, 7, 31),
        value=Decimal(4),
        measurement_id=stored.pk,
        reason="Posun.",
        row=2,
    )
    by_date = MeasurementEntry(
        sub_indicator=datasets, date=MID_2021, value=Decimal(5), reason="Oprava.", row=3
    )
    [problem] = measurements_check(entries=[by_id, by_date])
    assert (problem.row, problem.field) == (3, "date")
    assert "řádek 2" in problem.message


def test_problems_come_in_the_order_of_the_entries(demo_plan, datasets):
    centre = SubIndicator.objects.get(plan=demo_plan, code="6.1")
    entries = [
        MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(0), row=2),
        MeasurementEntry(sub_indicator=centre, date=MID_2021, value=Decimal(7), note="x", row=3),
    ]
    assert [(p.row, p.field) for p in measurements_check(entries=entries)] == [
        (2, "note"),
        (3, "value"),
    ]
