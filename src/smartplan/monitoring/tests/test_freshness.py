"""The version protocol: a change made while a recompute runs is not lost."""

from unittest import mock

import pytest

from smartplan.monitoring import services
from smartplan.monitoring.freshness import (
    plan_states_are_current,
    stale_plan_ids,
    states_mark_stale,
    states_version_record,
    states_version_start,
)
from smartplan.monitoring.models import StatesFreshness, SubIndicatorState
from smartplan.monitoring.services import plan_states_recompute

pytestmark = pytest.mark.django_db


def test_a_change_committed_during_a_recompute_keeps_the_plan_stale(demo_plan):
    real = services.plan_figures

    def figures_then_a_change(**kwargs):
        figures = real(**kwargs)  # the recompute has read the registers...
        states_mark_stale(plan_id=demo_plan.pk)  # ...when another writer changes them
        return figures

    with mock.patch.object(services, "plan_figures", figures_then_a_change):
        plan_states_recompute(plan=demo_plan)
    assert SubIndicatorState.objects.filter(plan=demo_plan).count() == 12  # stored, but
    assert not plan_states_are_current(plan=demo_plan)  # known to miss the change
    plan_states_recompute(plan=demo_plan)
    assert plan_states_are_current(plan=demo_plan)


def test_an_older_recompute_does_not_overwrite_newer_states(demo_plan):
    older = states_version_start(plan=demo_plan)
    states_mark_stale(plan_id=demo_plan.pk)
    plan_states_recompute(plan=demo_plan)  # a later recompute stores the newer version
    assert not states_version_record(plan=demo_plan, version=older)
    row = StatesFreshness.objects.get(plan=demo_plan)
    assert row.states_version == row.inputs_version == older + 1


def test_a_plan_without_its_row_counts_as_stale(demo_plan):
    plan_states_recompute(plan=demo_plan)
    assert stale_plan_ids() == []
    StatesFreshness.objects.filter(plan=demo_plan).delete()  # as after loaddata
    assert stale_plan_ids() == [demo_plan.pk]
    assert stale_plan_ids(plan_ids=[demo_plan.pk + 1]) == []
    plan_states_recompute(plan=demo_plan)
    assert plan_states_are_current(plan=demo_plan)
