"""The demo's commands, run in-process through ``call_command`` (the console script itself is
run end to end once, in core/tests/test_cli.py)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smartplan.plans.models import Plan

pytestmark = pytest.mark.django_db


def _call(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _dump(*apps):
    return json.loads(_call("dumpdata", *apps, "--format", "json"))


@pytest.mark.usefixtures("empty_instance")
def test_load_demo_twice_changes_nothing():
    first = _call("load_demo")
    assert "byl nahrán" in first  # Czech
    assert "demo / chytrejsi-kraj" in first
    before = _dump("stack", "projects", "indicators", "auth")
    second = _call("load_demo")
    assert "už je nahraný; nic se nezměnilo" in second
    assert "demo / chytrejsi-kraj" in second
    assert _dump("stack", "projects", "indicators", "auth") == before
    assert Plan.objects.count() == 1


def test_dumpdata_contains_the_whole_seed(demo_plan):
    by_model = {}
    for row in _dump("stack", "projects", "indicators"):
        by_model.setdefault(row["model"], []).append(row["fields"])
    stack = by_model["stack.stackitem"]
    assert len(stack) == 53
    total = sum(Decimal(i["finance_mil"]) for i in stack if i["number"] <= 44 and i["finance_mil"])
    assert total == Decimal("916.8")
    assert len(by_model["projects.flagshipproject"]) == 9
    assert len(by_model["indicators.indicator"]) == 9
    targets = {s["code"]: s["target_value"] for s in by_model["indicators.subindicator"]}
    assert Decimal(targets["1.1"]) == 10000
    assert Decimal(targets["8.1"]) == 5


def test_generate_synthetic_names_its_plans(demo_plan):
    out = _call("generate_synthetic", "--plans", "1", "--scale", "1", "--seed", "7")
    assert out.startswith("synteticky-7-1: ")
    assert Plan.objects.filter(slug="synteticky-7-1").exists()
    with pytest.raises(CommandError, match="--seed"):
        call_command("generate_synthetic", "--plans", "1", "--seed", "7")  # taken


def test_plans_and_scale_below_one_are_refused_in_czech(demo_plan):
    with pytest.raises(CommandError) as caught:
        call_command("generate_synthetic", "--plans", "0")
    assert str(caught.value) == "--plans a --scale musí být alespoň 1."
