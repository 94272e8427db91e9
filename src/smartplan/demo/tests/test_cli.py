"""The ``smartplan`` console script, run as a user would run it."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

SMARTPLAN = str(Path(sys.executable).with_name("smartplan"))


def _run(*args, data_dir):
    env = {**os.environ, "SMARTPLAN_DATA_DIR": str(data_dir), "SMARTPLAN_DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [SMARTPLAN, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("var")
    first = _run("load-demo", data_dir=data_dir)
    return data_dir, first


def test_load_demo_creates_the_sqlite_database_and_prints_the_login(loaded):
    data_dir, first = loaded
    assert first.returncode == 0, first.stderr
    assert (data_dir / "smartplan.sqlite3").exists()
    assert (data_dir / "secret_key").exists()
    assert "demo / chytrejsi-kraj" in first.stdout
    assert "nahrán" in first.stdout  # Czech


def test_load_demo_twice_changes_nothing(loaded):
    data_dir, _ = loaded
    before = _run("dumpdata", "stack", "projects", "indicators", data_dir=data_dir).stdout
    second = _run("load-demo", data_dir=data_dir)
    assert second.returncode == 0
    assert "nic se nezměnilo" in second.stdout
    after = _run("dumpdata", "stack", "projects", "indicators", data_dir=data_dir).stdout
    assert after == before


def test_dumpdata_contains_the_whole_seed(loaded):
    data_dir, _ = loaded
    result = _run("dumpdata", "--format", "json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    by_model = {}
    for row in rows:
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


def test_hyphenated_and_django_commands_work(loaded):
    data_dir, _ = loaded
    assert _run("showmigrations", "stack", data_dir=data_dir).returncode == 0
    result = _run(
        "generate-synthetic", "--plans", "1", "--scale", "1", "--seed", "7", data_dir=data_dir
    )
    assert result.returncode == 0, result.stderr
    assert "synteticky-7-1" in result.stdout


def test_errors_are_messages_not_tracebacks(loaded):
    data_dir, _ = loaded
    result = _run("generate-synthetic", "--plans", "0", data_dir=data_dir)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "--plans" in result.stderr
