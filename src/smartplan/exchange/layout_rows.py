"""Rows read from a table laid out as the annual report prints it, and how they are
completed from the plan they are imported into.

A report's layout gives only some of a register's columns (an indicator card has no
weight; a fulfilment table names a project, not its number). Such rows update an existing
plan: the columns the layout does not give keep what the plan stores, and names are
turned into the keys the register sheets use. All of that needs the plan, so it happens
once the plan is known (:func:`layout_rows_complete`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from smartplan.core.problems import Problem
from smartplan.exchange.columns import CellError, Sheet, clean_text, fold
from smartplan.exchange.plan_rows import Row
from smartplan.exchange.registers import FULFILMENT, INDICATORS, SHEETS
from smartplan.plans.models import Plan, StrategicGoal
from smartplan.projects.models import FlagshipProject


@dataclass
class LayoutRows:
    """Rows of one register (``register``, a sheet name) read from sheet ``source``."""

    register: str
    source: str
    rows: list[Row] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Columns the layout does not give that keep the stored row's value (by the row's key).
    keep: tuple[str, ...] = ()


def _sheet(name: str) -> Sheet:
    return next(sheet for sheet in SHEETS if sheet.name == name)


def layout_rows_complete(*, layouts: list[LayoutRows], plan: Plan) -> list[Problem]:
    """Complete the layouts' rows in place for ``plan``; the problems found doing so."""
    problems: list[Problem] = []
    projects: dict[str, tuple[int, str]] | None = None
    for layout in layouts:
        sheet = _sheet(layout.register)
        if layout.keep:
            _keep_stored(layout, sheet, plan)
        if projects is None:
            projects = {
                fold(name): (number, name)
                for number, name in FlagshipProject.objects.filter(plan=plan).values_list(
                    "number", "name"
                )
            }
        if sheet is INDICATORS:
            _indicator_names(layout, plan, projects, problems)
        if sheet is FULFILMENT:
            for number, cells in layout.rows:
                name = cells["activity_project"]
                found = _project(name, projects)
                if found is None:
                    problems.append(
                        Problem(number, "Projekt", name, _no_project(name, projects), layout.source)
                    )
                cells["activity_project"] = found
    return problems


def _indicator_names(
    layout: LayoutRows,
    plan: Plan,
    projects: dict[str, tuple[int, str]],
    problems: list[Problem],
) -> None:
    """A card names its flagship project and strategic goals; the sheet gives their keys."""
    goals = {
        fold(name): code
        for code, name in StrategicGoal.objects.filter(plan=plan).values_list("code", "name")
    }
    for number, cells in layout.rows:
        names = cells.get("strategic_goals")
        if isinstance(names, list):
            cells["strategic_goals"] = [goals.get(fold(name), name) for name in names]
        name = cells.get("project")
        if isinstance(name, str) and not name.strip().isdigit():
            found = _project(name, projects)
            if found is None:
                message = _no_project(name, projects)
                problems.append(Problem(number, "Vlajkový projekt", name, message, layout.source))
            cells["project"] = found


def _project(name: Any, projects: dict[str, tuple[int, str]]) -> int | None:
    """The project a heading names: "SBĚR DOPRAVNÍCH DAT", "EVIDENČNÍ SYSTÉM … / NEREALIZOVÁNO"
    or "3 Evidenční systém…"."""
    numbers = {number for number, _name in projects.values()}
    if isinstance(name, int):
        return name if name in numbers else None
    text = fold(clean_text(name))
    candidates = [text, text.split("/")[0].strip()]
    for candidate in list(candidates):
        head, _sep, tail = candidate.partition(" ")
        if head.rstrip(".").isdigit():
            candidates.append(tail.strip())
    for candidate in candidates:
        if candidate in projects:
            return projects[candidate][0]
    return None


def _no_project(name: Any, projects: dict[str, tuple[int, str]]) -> str:
    close = difflib.get_close_matches(fold(clean_text(name)), list(projects), n=3, cutoff=0.6)
    if close:
        return _("no such flagship project; did you mean: %(names)s?") % {
            "names": ", ".join(projects[c][1] for c in close)
        }
    return _("no such flagship project in the plan")


def _keep_stored(layout: LayoutRows, sheet: Sheet, plan: Plan) -> None:
    """Columns a row does not give take the stored row's value, as the workbook has it."""
    model: Any = sheet.model
    key = sheet.key[0]
    column = sheet.column(key)
    wanted = []
    for _number, cells in layout.rows:
        try:
            wanted.append(column.parse(cells.get(key)))
        except CellError:
            continue
    stored = {
        getattr(obj, key): obj
        for obj in model._default_manager.filter(plan=plan, **{f"{key}__in": wanted})
    }
    for _number, cells in layout.rows:
        try:
            obj = stored.get(column.parse(cells.get(key)))
        except CellError:
            obj = None
        for name in layout.keep:
            if name not in cells:
                cells[name] = sheet.column(name).to_cell(obj) if obj is not None else None
