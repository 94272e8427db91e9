"""The README documents what the code has: every command and every environment variable.

In the spirit of Datasette's tests/test_docs.py: a new command or setting fails this test until
the README says what it does, and a README row for something that is gone fails it too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

PACKAGE = Path(__file__).resolve().parents[2]
README = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")


def _table(heading: str, first_column: str) -> list[list[str]]:
    """The rows of the first Markdown table after ``heading`` whose header starts with
    ``first_column``, each as a list of cells."""
    section = README.split(heading, 1)[1]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_column} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        # An escaped pipe (`docx\|pdf`) is part of a cell, not a border.
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.strip() for cell in cells])
    return rows


def _command_rows(*, djangos: bool = False) -> list[tuple[list[str], str]]:
    """(the commands named in a row's first cell, the cell) for each row of the table, either
    the project's commands or (``djangos``) the row of Django's own commands."""
    rows = []
    for first, what in _table("## The `smartplan` command", "command"):
        names = [name.replace("-", "_") for name in re.findall(r"`smartplan ([\w-]+)", first)]
        if ("Django's own commands" in what) == djangos:
            rows.append((names, first))
    return rows


def _project_commands() -> set[str]:
    """Management commands defined by smartplan's own apps."""
    return {name for name, app in get_commands().items() if app.startswith("smartplan.")}


def test_the_command_table_lists_exactly_the_projects_commands():
    documented = {name for names, _ in _command_rows() for name in names}
    assert len(_project_commands()) >= 12  # the discovery itself works
    assert documented == _project_commands()


def test_djangos_commands_named_in_the_table_exist_and_are_djangos():
    ((django_row, _),) = _command_rows(djangos=True)
    assert django_row == ["dumpdata", "createsuperuser", "check"]
    commands = get_commands()
    for name in django_row:
        assert commands[name].startswith("django.")


@pytest.mark.parametrize(("names", "cell"), _command_rows(), ids=lambda v: str(v)[:40])
def test_every_option_in_the_table_exists(names, cell):
    """``--port``, ``--plan``, … in the table are real options of the command they follow."""
    commands = get_commands()
    for name, options in _options_per_command(cell).items():
        parser = load_command_class(commands[name], name).create_parser("smartplan", name)
        known = {flag for action in parser._actions for flag in action.option_strings}
        assert options <= known, (name, options - known)
    assert set(_options_per_command(cell)) == set(names)


def _options_per_command(cell: str) -> dict[str, set[str]]:
    """``--options`` written in the cell, per command (an option belongs to the command
    named before it in the same cell)."""
    result: dict[str, set[str]] = {}
    current = ""
    for token in re.findall(r"`smartplan [\w-]+|--[\w-]+", cell):
        if token.startswith("`smartplan "):
            current = token.removeprefix("`smartplan ").replace("-", "_")
            result.setdefault(current, set())
        else:
            result[current].add(token)
    return result


def _environment_variables_read() -> set[str]:
    """Every ``SMARTPLAN_*`` variable the package's code reads: ``os.environ.get("…")``,
    ``os.environ["…"]``, ``os.getenv("…")`` (comments and docstrings do not count)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A name read instead of a literal (CRASH_ENV = "SMARTPLAN_…") counts as its value.
        constants = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            key: ast.expr | None = None
            if isinstance(node, ast.Call) and node.args:
                function = ast.unparse(node.func)
                if function in {"os.environ.get", "os.getenv", "os.environ.setdefault"}:
                    key = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                key = node.slice
            if isinstance(key, ast.Name):
                key = constants.get(key.id)
            if isinstance(key, ast.Constant) and str(key.value).startswith("SMARTPLAN_"):
                found.add(str(key.value))
    return found


def test_the_configuration_table_lists_exactly_the_variables_the_code_reads():
    documented = {
        match
        for variable, *_ in _table("## Configuration", "variable")
        for match in re.findall(r"`(SMARTPLAN_\w+)`", variable)
    }
    read = _environment_variables_read()
    assert "SMARTPLAN_DATABASE_URL" in read  # the parsing itself works
    assert {"SMARTPLAN_DATA_DIR", "SMARTPLAN_DEBUG"} <= read
    assert documented == read
