"""The ``smartplan`` console script end to end: one run per command family, in a subprocess,
as a user runs it (the runs start with the session: ``ConsoleRuns`` in conftest.py).
Everything else about the commands is tested in-process through ``call_command`` in the apps'
own tests, which is many times faster."""

import sqlite3

import openpyxl
import pytest
from django.core.management import load_command_class

from smartplan import cli


def _count(data_dir, table):
    with sqlite3.connect(data_dir / "smartplan.sqlite3") as database:
        return database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_load_demo_creates_the_database_and_prints_the_login_in_czech(console_runs):
    data_dir, result = console_runs.data_dir, console_runs.result("load-demo")
    assert result.returncode == 0, result.stderr
    assert (data_dir / "secret_key").exists()
    plan = "Akční plán Koncepce Chytřejší kraj pro Liberecký kraj"
    assert f"Ukázkový plán „{plan}“ byl nahrán." in result.stdout
    assert "demo / chytrejsi-kraj" in result.stdout
    assert _count(data_dir, "stack_stackitem") == 53  # the seed's stack
    assert _count(data_dir, "auth_user") == 5  # the administrator and a login per role


def test_export_writes_the_plan_as_a_workbook(console_runs):
    result = console_runs.result("export")
    assert result.returncode == 0, result.stderr
    target = console_runs.output / "plán.xlsx"
    stack = openpyxl.load_workbook(target, read_only=True)["Zásobník projektů"]
    # Written in write-only mode, so the sheet has no dimension: count its rows.
    assert sum(1 for _row in stack.iter_rows()) == 53 + 1  # a header and the seed's 53 items


def test_report_writes_the_annual_report(console_runs):
    result = console_runs.result("report")
    assert result.returncode == 0, result.stderr
    html = (console_runs.output / "zprava.html").read_text(encoding="utf-8")
    assert "VÝROČNÍ ZPRÁVA ZA ROK 2020" in html
    assert "CELKEM 916,8\xa0mil.\xa0Kč do roku 2026" in html


def test_recompute_stores_the_states_of_every_sub_indicator(console_runs):
    result = console_runs.result("recompute")
    assert result.returncode == 0, result.stderr
    assert "liberec-2020: přepočteno dílčích indikátorů: 12," in result.stdout  # as in the seed
    assert _count(console_runs.data_dir, "monitoring_subindicatorstate") == 12


def test_hyphens_name_the_same_command_as_underscores(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "execute_from_command_line", calls.append)
    cli.main(["load-demo", "--replace"])
    cli.main(["generate_synthetic", "--plans", "2"])
    cli.main(["--version"])
    assert calls == [
        ["smartplan", "load_demo", "--replace"],
        ["smartplan", "generate_synthetic", "--plans", "2"],
        ["smartplan", "--version"],
    ]


def test_errors_are_messages_not_tracebacks(capsys):
    command = load_command_class("smartplan.demo", "generate_synthetic")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["smartplan", "generate_synthetic", "--plans", "0"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("CommandError: ")
    assert "--plans" in err
