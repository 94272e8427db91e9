"""Loading a plan fixture: idempotent, all or nothing, and errors that say where."""

import shutil

import pytest
import yaml

from smartplan.core.errors import FixtureError
from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE, demo_load
from smartplan.indicators.models import SubIndicator
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

# Every test starts from an instance without plans (the session template holds the demo).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_instance")]


@pytest.fixture
def fixture_copy(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(DEMO_FIXTURE, folder)
    return folder


def _edit(folder, name, change):
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_loading_twice_changes_nothing():
    first = demo_load()
    stamp = StackItem.objects.order_by("pk").values_list("pk", "updated_at")
    before = list(stamp)
    second = demo_load()
    assert first.plan_created is True
    assert first.account_created is True
    assert second.plan_created is False
    assert second.account_created is False
    assert second.plan.pk == first.plan.pk
    assert list(stamp) == before
    assert Plan.objects.count() == 1


def test_replace_loads_anew():
    first = demo_load().plan
    StackItem.objects.filter(plan=first, number=1).update(name="Přepsáno")
    again = demo_load(replace=True).plan
    assert StackItem.objects.get(plan=again, number=1).name == "Meteohlášky a kamerové systémy."
    assert Plan.objects.count() == 1


def test_unknown_reference_names_the_place_and_writes_nothing(fixture_copy):
    def break_guarantor(data):
        data["items"][11]["guarantor"] = "Odbor neexistující"

    _edit(fixture_copy, "stack.yaml", break_guarantor)
    with pytest.raises(FixtureError) as caught:
        plan_fixture_load(folder=fixture_copy)
    message = str(caught.value)
    assert "stack.yaml: items[11].guarantor" in message
    assert "Odbor neexistující" in message
    assert "neexistuje" in message  # Czech
    assert Plan.objects.count() == 0
    assert StackItem.objects.count() == 0


def test_float_amounts_are_refused(fixture_copy):
    def float_finance(data):
        data["items"][1]["finance_mil"] = 7.5

    _edit(fixture_copy, "stack.yaml", float_finance)
    with pytest.raises(FixtureError, match=r"items\[1\]\.finance_mil"):
        plan_fixture_load(folder=fixture_copy)
    assert Plan.objects.count() == 0


def test_model_validation_applies_to_fixtures(fixture_copy):
    def bad_ico(data):
        data["organisations"][0]["ico"] = "70891509"

    _edit(fixture_copy, "plan.yaml", bad_ico)
    with pytest.raises(FixtureError, match=r"organisations\[0\].*70891509"):
        plan_fixture_load(folder=fixture_copy)
    assert Plan.objects.count() == 0


def test_duplicate_numbers_are_refused_as_a_whole(fixture_copy):
    def duplicate(data):
        data["items"][5]["number"] = 1

    _edit(fixture_copy, "stack.yaml", duplicate)
    with pytest.raises(FixtureError):
        plan_fixture_load(folder=fixture_copy)
    assert Plan.objects.count() == 0


def test_missing_file_and_broken_yaml(fixture_copy):
    (fixture_copy / "indicators.yaml").write_text("indicators: [\n", encoding="utf-8")
    with pytest.raises(FixtureError, match=r"indicators\.yaml"):
        plan_fixture_load(folder=fixture_copy)
    (fixture_copy / "indicators.yaml").unlink()
    with pytest.raises(FixtureError, match=r"indicators\.yaml"):
        plan_fixture_load(folder=fixture_copy)


def test_every_problem_is_reported_at_once_with_its_file_and_path(fixture_copy):
    def break_stack(data):
        data["items"][11]["guarantor"] = "Odbor neexistující"
        data["items"][3]["status"] = "snad"

    def break_indicators(data):
        data["indicators"][0]["sub_indicators"][1]["target_date"] = "brzy"

    _edit(fixture_copy, "stack.yaml", break_stack)
    _edit(fixture_copy, "indicators.yaml", break_indicators)
    with pytest.raises(FixtureError) as caught:
        plan_fixture_load(folder=fixture_copy)
    message = str(caught.value)
    assert "3" in message.splitlines()[0]  # three problems
    assert "stack.yaml: items[11].guarantor: „Odbor neexistující“" in message
    assert "stack.yaml: items[3].status: „snad“" in message
    assert "indicators.yaml: indicators[0].sub_indicators[1].target_date: „brzy“" in message
    assert Plan.objects.count() == 0


def test_a_missing_required_value_names_its_key(fixture_copy):
    def no_name(data):
        del data["projects"][2]["name"]

    _edit(fixture_copy, "projects.yaml", no_name)
    with pytest.raises(FixtureError, match=r"projects\.yaml: projects\[2\]\.name: "):
        plan_fixture_load(folder=fixture_copy)


def test_a_loaded_fixture_has_current_monitoring_states():
    plan = demo_load().plan
    subs = SubIndicator.objects.filter(plan=plan)
    states = SubIndicatorState.objects.filter(plan=plan)
    assert subs.count() == 12
    assert sorted(states.values_list("sub_indicator", flat=True)) == sorted(
        subs.values_list("pk", flat=True)
    )
    assert RollUpState.objects.filter(plan=plan, level="plan").count() == 1
