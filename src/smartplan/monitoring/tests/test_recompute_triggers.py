"""Every way of changing a plan's registers marks its states stale in the same transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from smartplan.core.signals import plan_data_changed
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save
from smartplan.monitoring.freshness import plan_states_are_current
from smartplan.monitoring.models import ReminderLog, StatesFreshness, SubIndicatorState
from smartplan.monitoring.services import plan_states_recompute
from smartplan.observations.models import ObservationSeries
from smartplan.observations.services import ObservationRow, observations_store
from smartplan.plans.models import Plan, StrategicGoal

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_plan(demo_plan):
    plan_states_recompute(plan=demo_plan)
    assert plan_states_are_current(plan=demo_plan)
    return demo_plan


def _record(sub, date, value):
    measurement_save(
        entry=MeasurementEntry(sub_indicator=sub, date=date, value=value, note="zkouška"),
        user=None,
    )


def _version(plan):
    return StatesFreshness.objects.get(plan=plan).inputs_version


def test_a_new_plan_starts_stale_and_a_recompute_makes_it_current(db):
    plan = Plan.objects.create(
        name="Akční plán Chytrá obec",
        slug="chytra-obec-2021",
        territory_kind=Plan.TerritoryKind.MUNICIPALITY,
        territory_name="Obec Pokusná",
        period_from=2021,
        period_to=2023,
    )
    assert not plan_states_are_current(plan=plan)  # created in this transaction
    plan_states_recompute(plan=plan)
    assert plan_states_are_current(plan=plan)


def test_a_loaded_plan_is_current_when_its_writer_ends(demo_plan):
    assert plan_states_are_current(plan=demo_plan)  # the one plan writer recomputes at its end


def test_a_save_marks_the_plan_stale_in_its_transaction(current_plan):
    # Model.save() is the path of the editing interface, the API and the services alike.
    sub = SubIndicator.objects.get(plan=current_plan, code="1.1")
    before = _version(current_plan)
    with transaction.atomic():
        Measurement.objects.create(
            plan=current_plan, sub_indicator=sub, date=dt.date(2021, 6, 30), value=1
        )
        Measurement.objects.create(
            plan=current_plan, sub_indicator=sub, date=dt.date(2021, 9, 30), value=2
        )
        assert _version(current_plan) == before + 1  # once per transaction, inside it
    assert not plan_states_are_current(plan=current_plan)


def test_a_rolled_back_change_leaves_the_mark_as_it_was(current_plan):
    sub = SubIndicator.objects.get(plan=current_plan, code="1.1")
    try:
        with transaction.atomic():
            _record(sub, dt.date(2021, 6, 30), 1)
            raise RuntimeError
    except RuntimeError:
        pass
    assert plan_states_are_current(plan=current_plan)


def test_a_rolled_back_savepoint_does_not_hide_a_later_change(current_plan):
    sub = SubIndicator.objects.get(plan=current_plan, code="1.1")
    with transaction.atomic():
        try:
            with transaction.atomic():
                _record(sub, dt.date(2021, 6, 30), 1)
                raise RuntimeError
        except RuntimeError:
            pass
        _record(sub, dt.date(2021, 9, 30), 2)
    assert not plan_states_are_current(plan=current_plan)


def test_a_change_after_a_recompute_in_the_same_transaction_marks_again(demo_plan):
    sub = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    with transaction.atomic():
        _record(sub, dt.date(2021, 6, 30), 1)
        plan_states_recompute(plan=demo_plan)
        assert plan_states_are_current(plan=demo_plan)
        _record(sub, dt.date(2021, 9, 30), 2)
    assert not plan_states_are_current(plan=demo_plan)


def test_deletes_and_relations_mark_the_plan_stale(current_plan):
    indicator = Indicator.objects.filter(plan=current_plan).first()
    indicator.strategic_goals.remove(*StrategicGoal.objects.filter(plan=current_plan))
    assert not plan_states_are_current(plan=current_plan)
    plan_states_recompute(plan=current_plan)
    SubIndicator.objects.filter(plan=current_plan, code="1.1").delete()
    assert not plan_states_are_current(plan=current_plan)


def test_bulk_imports_mark_the_plan_stale(current_plan, tmp_path):
    values = tmp_path / "hodnoty.csv"
    values.write_text("indikátor;datum;hodnota\n1.1;31. 12. 2021;5000\n", encoding="utf-8")
    measurements_import(plan=current_plan, path=values, dry_run=True)
    assert plan_states_are_current(plan=current_plan)  # a dry run writes nothing
    measurements_import(plan=current_plan, path=values)
    assert not plan_states_are_current(plan=current_plan)

    plan_states_recompute(plan=current_plan)
    series = ObservationSeries.objects.create(
        plan=current_plan, code="navstevy", name="Návštěvy", unit="osob"
    )
    plan_states_recompute(plan=current_plan)
    rows = [ObservationRow(1, series.code, dt.date(2021, 1, 1), dt.date(2021, 1, 31), Decimal(7))]
    observations_store(plan=current_plan, rows=rows, source="test")
    assert not plan_states_are_current(plan=current_plan)


def test_derived_rows_and_bookkeeping_send_no_signal(current_plan):
    received = []

    def receiver(sender, **kwargs):
        received.append(sender)

    plan_data_changed.connect(receiver)
    try:
        plan_states_recompute(plan=current_plan)
        sub = SubIndicator.objects.get(plan=current_plan, code="1.1")
        ReminderLog.objects.create(
            plan=current_plan, sub_indicator=sub, due_date=dt.date(2022, 1, 1), kind="overdue"
        )
        SubIndicatorState.objects.filter(plan=current_plan).delete()
    finally:
        plan_data_changed.disconnect(receiver)
    assert received == []
    assert plan_states_are_current(plan=current_plan)


def test_a_plan_is_deleted_with_its_registers_and_its_mark(current_plan):
    current_plan.delete()  # every register row announces its delete on the way
    assert not Plan.objects.exists()
    assert not StatesFreshness.objects.exists()
    assert not Measurement.objects.exists()
