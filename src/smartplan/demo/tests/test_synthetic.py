import pytest

from smartplan.demo.synthetic import UNIT, synthetic_plans_generate
from smartplan.indicators.models import Measurement
from smartplan.projects.models import FlagshipProject
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _snapshot(plan):
    return (
        plan.name,
        list(StackItem.objects.filter(plan=plan).values_list("number", "name", "finance_mil")),
        list(FlagshipProject.objects.filter(plan=plan).values_list("number", "name")),
    )


def test_scale_multiplies_every_register():
    one = synthetic_plans_generate(plans=1, scale=1, seed=11, measurements_per_sub=3)[0]
    three = synthetic_plans_generate(plans=1, scale=3, seed=12, measurements_per_sub=3)[0]
    for key in ("projects", "stack_items", "resources", "people", "municipalities", "decisions"):
        assert three.counts[key] == 3 * one.counts[key], key
    assert one.counts["stack_items"] == UNIT["stack"]
    assert one.counts["projects"] == UNIT["projects"]
    assert one.counts["activities"] == UNIT["projects"] * UNIT["activities_per_project"]
    assert Measurement.objects.filter(plan=three.plan).count() == three.counts["sub_indicators"] * 3


def test_same_seed_same_data_and_czech_names(django_db_blocker):
    first = synthetic_plans_generate(plans=2, scale=1, seed=21, measurements_per_sub=0)
    snapshots = [_snapshot(s.plan) for s in first]
    for summary in first:
        summary.plan.delete()
    again = synthetic_plans_generate(plans=2, scale=1, seed=21, measurements_per_sub=0)
    assert [_snapshot(s.plan) for s in again] == snapshots
    assert snapshots[0] != snapshots[1]
    names = " ".join(name for _, name, _ in snapshots[0][1])
    assert any(letter in names for letter in "áčďéěíňóřšťúůýž")


def test_invalid_arguments():
    with pytest.raises(ValueError, match="at least 1"):
        synthetic_plans_generate(plans=0, scale=1)
