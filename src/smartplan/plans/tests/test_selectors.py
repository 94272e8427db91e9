"""Reads about plans: every register counted per plan, in a fixed number of queries."""

import pytest

from smartplan.core.models import PlanScoped
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.organisations.models import Organisation, Person
from smartplan.partnerships.models import Award, ProjectIdea, SurveyedMunicipality
from smartplan.plans.models import Approval, Area, Plan, StrategicGoal
from smartplan.plans.selectors import plan_list, plan_register_counts, plan_register_models
from smartplan.projects.models import FlagshipProject
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

# Rows of the demo plan's registers as the 2020 annual report (the seed) gives them.
SEED_COUNTS = {
    StackItem: 53,
    FlagshipProject: 9,
    Indicator: 9,
    SubIndicator: 12,
    Person: 13,
    SurveyedMunicipality: 10,
    Award: 1,
    ProjectIdea: 2,
    SteeringGroupMember: 7,
    Meeting: 1,
    Decision: 3,
    Approval: 2,
    StrategicGoal: 3,
    Measurement: 0,
}


def test_register_models_are_every_concrete_plan_scoped_model():
    models = plan_register_models()
    assert {StackItem, Indicator, Organisation, Decision, Approval} <= set(models)
    assert Plan not in models
    assert all(issubclass(m, PlanScoped) and not m._meta.abstract for m in models)
    assert len(models) == len(set(models))


def test_register_counts_of_the_demo_match_the_seed(demo_plan, other_plan):
    area = Area.objects.create(plan=other_plan, name="Doprava")
    StackItem.objects.create(plan=other_plan, number=1, area=area, name="Cizí položka")
    counts = dict(plan_register_counts(plan=demo_plan))
    assert {model: counts[model] for model in SEED_COUNTS} == SEED_COUNTS
    other = dict(plan_register_counts(plan=other_plan))
    assert other[StackItem] == 1
    assert other[Area] == 1
    assert sum(other.values()) == 2


def test_register_counts_take_one_query_per_register_however_big_the_plan(
    demo_plan, other_plan, django_assert_num_queries
):
    registers = len(plan_register_models())
    with django_assert_num_queries(registers):
        plan_register_counts(plan=other_plan)  # empty
    with django_assert_num_queries(registers):
        plan_register_counts(plan=demo_plan)  # thousands of rows


def test_plan_list_is_newest_first_with_its_organisations_in_one_query(
    demo_plan, other_plan, django_assert_num_queries
):
    with django_assert_num_queries(1):
        plans = [(p.slug, p.owner and p.owner.ico, p.coordinator) for p in plan_list()]
    assert [slug for slug, _, _ in plans] == ["chytra-obec-2021", "liberec-2020"]
    assert plans[1][1] == "70891508"
    assert plans[1][2].short_name == "ARR"
