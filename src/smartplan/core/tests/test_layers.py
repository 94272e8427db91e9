"""Imports point one way: core ← domain apps ← monitoring, exchange, reports, api, demo.

``core`` imports no other app; the domain apps import ``core`` and each other, never the
apps that work on them (monitoring, import/export, reports, the API, the demo). Those apps
add their pages, links and formats through ``core.admin_extensions`` and
``core.output_formats`` instead. Imports inside functions count too.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
DOMAIN = (
    "plans",
    "organisations",
    "projects",
    "indicators",
    "stack",
    "resources",
    "partnerships",
    "governance",
    "observations",
)
ABOVE_DOMAIN = (
    "monitoring",
    "exchange",
    "reports",
    "api",
    "demo",
    "portal",
    "opendata",
    "lkod",
    "access",
)
# Imports allowed although they point up a layer (none left).
PENDING: set[tuple[str, str]] = set()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("smartplan.")}


def _modules(app: str) -> list[Path]:
    return [
        path
        for path in sorted((SRC / app).rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(SRC).parts)
    ]


def _wrong(app: str, forbidden: tuple[str, ...]) -> list[str]:
    wrong = []
    for path in _modules(app):
        where = path.relative_to(SRC).as_posix()
        for name in sorted(_imports(path)):
            target = name.split(".")[1]
            if target in forbidden and (where, name) not in PENDING:
                wrong.append(f"{where} imports {name}")
    return wrong


@pytest.mark.parametrize("app", DOMAIN)
def test_domain_apps_do_not_import_the_apps_above_them(app):
    assert _wrong(app, ABOVE_DOMAIN) == []


def test_core_imports_no_other_app():
    apps = tuple(p.name for p in SRC.iterdir() if (p / "apps.py").exists() and p.name != "core")
    assert _wrong("core", apps) == []


def test_the_check_reads_imports_inside_functions(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from smartplan.reports.services import x\n")
    assert _imports(module) == {"smartplan.reports.services"}
