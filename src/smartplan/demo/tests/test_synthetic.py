import pytest

from smartplan.core.problems import ChangeRefusedError
from smartplan.demo.synthetic import (
    UNIT,
    SyntheticPlanExistsError,
    synthetic_measurements_add,
    synthetic_plans_generate,
)
from smartplan.indicators.models import Measurement, MeasurementRevision
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.plans.models import Plan
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


def test_generated_measurements_go_through_the_measurement_rules():
    plan = synthetic_plans_generate(plans=1, scale=1, seed=41, measurements_per_sub=0)[0].plan
    assert synthetic_measurements_add(plan=plan, total=60, seed=1) > 0
    first = Measurement.objects.filter(plan=plan).order_by("pk").first()
    Measurement.objects.filter(pk=first.pk).update(status="final")
    # Another seed gives other values at the same dates: a final value would change.
    with pytest.raises(ChangeRefusedError, match=r"final|konečná"):
        synthetic_measurements_add(plan=plan, total=60, seed=2)
    first.refresh_from_db()
    assert first.status == "final"
    assert not MeasurementRevision.objects.filter(plan=plan).exists()


def test_a_generated_plan_has_current_states():
    summary = synthetic_plans_generate(plans=1, scale=1, seed=42, measurements_per_sub=2)[0]
    states = SubIndicatorState.objects.filter(plan=summary.plan)
    assert states.count() == summary.counts["sub_indicators"]
    assert not states.filter(value__isnull=True).exists()
    assert RollUpState.objects.filter(plan=summary.plan, level="plan").exists()


def test_the_same_seed_twice_is_refused_with_a_message():
    synthetic_plans_generate(plans=1, scale=1, seed=43, measurements_per_sub=0)
    with pytest.raises(SyntheticPlanExistsError, match="43"):
        synthetic_plans_generate(plans=1, scale=1, seed=43, measurements_per_sub=0)


def test_a_generated_plan_has_fictional_but_valid_catalogue_facts():
    from smartplan.organisations.models import validate_ico

    plan = synthetic_plans_generate(plans=1, scale=1, seed=51, measurements_per_sub=0)[0].plan
    plan.refresh_from_db()
    assert plan.owner is not None
    validate_ico(plan.owner.ico)  # raises for a wrong check digit
    assert plan.ruian_uri.startswith("https://linked.cuzk.cz/resource/ruian/obec/")
    assert plan.open_data_contact_email.endswith("@example.invalid")
    assert plan.terms_personal_data == Plan.PersonalData.CONTAINS
