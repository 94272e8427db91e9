"""A plan fixture (see :mod:`fixture_reader`) as register rows for the plan writer.

The YAML files become the rows of the workbook's register sheets (same natural keys, same
column meanings), which :func:`exchange.plan_rows.plan_rows_write` checks and writes like an
imported workbook: one validation for every way a whole plan comes in. Problems keep their
place in the fixture: ``stack.yaml: items[11].guarantor: „Odbor X“ odbor tohoto názvu
neexistuje``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smartplan.core.errors import FixtureError
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.demo.fixture_reader import Node, read_fixture
from smartplan.exchange import registers as r
from smartplan.exchange.columns import Sheet
from smartplan.exchange.plan_rows import PlanRows, plan_rows_write
from smartplan.exchange.workbook_writer import PLAN_FIELDS, PLAN_SHEET
from smartplan.plans.models import Plan

_MONTH = re.compile(r"^\d{4}-\d{2}$")

# The fixture file each register comes from, for problems that concern a whole register.
_FILES = {
    r.PROJECTS.name: "projects.yaml",
    r.STATUS_REPORTS.name: "projects.yaml",
    r.ACTIVITIES.name: "projects.yaml",
    r.FULFILMENT.name: "projects.yaml",
    r.COSTS.name: "projects.yaml",
    r.INDICATORS.name: "indicators.yaml",
    r.SUB_INDICATORS.name: "indicators.yaml",
    r.STACK.name: "stack.yaml",
    r.STACK_EXTRA.name: "stack.yaml",
}


class FixtureRows:
    """Builds the rows of a fixture, remembering where each value came from."""

    def __init__(self, documents: dict[str, Node], *, source: str) -> None:
        self.docs = documents
        self.rows = PlanRows(source=source)
        self.paths: dict[tuple[str, int], dict[str, str]] = {}
        self.problems: list[Problem] = []

    # -- building rows -------------------------------------------------------------
    def add(self, sheet: Sheet, node: Node, cells: dict[str, Any]) -> None:
        """A row of ``sheet`` from ``node``: a cell is a Node (its place is kept) or a value."""
        rows = self.rows.sheets.setdefault(sheet.name, [])
        number = len(rows) + 1
        values: dict[str, Any] = {}
        paths: dict[str, str] = {}
        for name, cell in cells.items():
            if isinstance(cell, Node):
                paths[name] = cell.where
                values[name] = self._raw(sheet.column(name).kind, cell)
            else:
                values[name] = cell
        rows.append((number, values))
        self.rows.places[(sheet.name, number)] = node.where
        self.paths[(sheet.name, number)] = paths

    def _raw(self, kind: str, node: Node) -> Any:
        value = node.value
        if kind == "decimal" and isinstance(value, float):
            # Floats lose cents; the fixture writes amounts as quoted strings.
            self._problem(node, _("write the number in quotes (“7.5”), not as a float"))
            return None
        if kind == "date" and isinstance(value, str) and _MONTH.match(value.strip()):
            return f"{value.strip()}-01"  # "2020-11": a month
        if kind in {"text", "ref"} and isinstance(value, list | dict):
            self._problem(node, _("text is expected here"))
            return None
        return value

    def _problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(None, None, None, f"{node.where}: {message}"))

    def items(self, node: Node) -> list[Node]:
        """The items of a list; a shape error is a problem, and the list is then empty."""
        try:
            return node.items()
        except FixtureError as exc:
            self.problems.append(Problem(None, None, None, str(exc)))
            return []

    def key(self, node: Node, name: str) -> Node:
        """A key of a mapping (missing is an empty value, which required columns refuse)."""
        try:
            return node.get(name)
        except FixtureError as exc:
            self.problems.append(Problem(None, None, None, str(exc)))
            return Node(None, node.where)

    def lines(self, node: Node, separator: str) -> str:
        """A list of points as one text: paragraphs ("\\n\\n") or lines ("\\n")."""
        parts = []
        for item in self.items(node):
            try:
                parts.append(item.required_text())
            except FixtureError as exc:
                self.problems.append(Problem(None, None, None, str(exc)))
        return separator.join(parts)

    def fields(self, node: Node, *names: str, **renamed: str) -> dict[str, Node]:
        """Cells read from keys of the same name, and ``field=key`` where they differ."""
        cells = {name: self.key(node, name) for name in names}
        cells.update({name: self.key(node, key) for name, key in renamed.items()})
        return cells

    # -- the registers ---------------------------------------------------------------
    def build(self) -> PlanRows:
        root = self.docs["plan.yaml"]
        plan = self.key(root, "plan")
        self.rows.plan_values = {
            attr: self.key(plan, attr).value for _label, attr, _kind in PLAN_FIELDS
        }
        self._frame(root)
        self._people(root, owner=self.key(plan, "owner").value)
        self._partnerships(root)
        self._projects(self.key(self.docs["projects.yaml"], "projects"))
        self._indicators(self.key(self.docs["indicators.yaml"], "indicators"))
        self._stack(self.key(self.docs["stack.yaml"], "items"))
        self._steering_group(self.key(root, "steering_group"))
        return self.rows

    def _frame(self, root: Node) -> None:
        for node in self.items(self.key(root, "approvals")):
            self.add(r.APPROVALS, node, self.fields(node, "body", "date", "resolution_number"))
        for node in self.items(self.key(root, "strategic_goals")):
            self.add(r.STRATEGIC_GOALS, node, self.fields(node, "code", "name"))
        for node in self.items(self.key(root, "specific_goals")):
            code = self.key(node, "code")
            parent = Node(str(code.value or "").split(".")[0], code.where)
            cells: dict[str, Any] = self.fields(node, "code", "text")
            self.add(r.SPECIFIC_GOALS, node, {**cells, "strategic_goal": parent})
        for order, node in enumerate(self.items(self.key(root, "areas")), start=1):
            self.add(r.AREAS, node, {**self.fields(node, "name", "short_name"), "order": order})
        for node in self.items(self.key(root, "funding_sources")):
            self.add(r.FUNDING, node, self.fields(node, "code", "name"))

    def _people(self, root: Node, *, owner: Any) -> None:
        for node in self.items(self.key(root, "organisations")):
            cells = self.fields(node, "short_name", "name", "ico", "kind", "website")
            self.add(r.ORGANISATIONS, node, cells)
        for node in self.items(self.key(root, "departments")):
            # The plan's departments are the owner's (the region's).
            self.add(
                r.DEPARTMENTS, node, {**self.fields(node, "name", "kind"), "organisation": owner}
            )
        for node in self.items(self.key(root, "people")):
            cells = self.fields(
                node, "name", "function", "organisation", "department", "email", "phone"
            )
            self.add(r.PEOPLE, node, {**cells, "publish_contact": True})

    def _partnerships(self, root: Node) -> None:
        survey = self.key(root, "surveyed_municipalities")
        for town in self.items(self.key(survey, "towns")):
            cells = self.fields(survey, "note", surveyed_on="surveyed_on")
            cells["surveyed_on_precision"] = self.key(survey, "precision")
            self.add(r.MUNICIPALITIES, town, {**cells, "organisation": town})
        for node in self.items(self.key(root, "communication")):
            cells = self.fields(
                node, "title", "date", "channel", "url", "description", date_precision="precision"
            )
            self.add(r.COMMUNICATION, node, cells)
        for node in self.items(self.key(root, "awards")):
            cells = self.fields(
                node, "competition", "category", "year", "place", "url", "description"
            )
            self.add(r.AWARDS, node, cells)
        for node in self.items(self.key(root, "ideas")):
            cells = self.fields(
                node, "title", "area", "proposed_with", "year", "description", "next_step"
            )
            self.add(r.IDEAS, node, cells)

    def _projects(self, projects: Node) -> None:
        for node in self.items(projects):
            number = self.key(node, "number")
            cells: dict[str, Any] = self.fields(
                node,
                "number",
                "name",
                "subtitle",
                "area",
                "guarantor",
                "guarantor_contact",
                "implementer",
                "implementer_department",
                "implementer_contact",
                "council_member",
                "council_portfolio",
                "coordinated",
                "not_coordinated_reason",
                "financing_note",
                "strategic_goals",
                "funding_sources",
            )
            cells["description"] = self.lines(self.key(node, "description_points"), "\n\n")
            self.add(r.PROJECTS, node, cells)
            for report in self.items(self.key(node, "status_reports")):
                cells = {
                    "project": number,
                    **self.fields(report, "year", "quarter"),
                    "preparation_status": self.lines(
                        self.key(report, "preparation_status"), "\n\n"
                    ),
                    "planned_activities": self.lines(
                        self.key(report, "planned_activities"), "\n\n"
                    ),
                }
                self.add(r.STATUS_REPORTS, report, cells)
            for activity in self.items(self.key(node, "activities")):
                self._activity(number, activity)

    def _activity(self, project: Node, node: Node) -> None:
        cells: dict[str, Any] = self.fields(
            node,
            "number",
            "part",
            "description",
            "expected_outputs",
            "timing_text",
            "timing_from",
            "timing_to",
            "continuous",
            "cost_min",
            "cost_max",
            "cost_note",
            "funding_sources",
        )
        self.add(r.ACTIVITIES, node, {**cells, "project": project})
        activity = {
            "activity_project": project,
            "activity_number": cells["number"],
            "activity_part": cells["part"],
        }
        for fulfilment in self.items(self.key(node, "fulfilment")):
            self.add(
                r.FULFILMENT,
                fulfilment,
                {**activity, **self.fields(fulfilment, "year", "outputs", "spent")},
            )
        for cost in self.items(self.key(node, "documented_costs")):
            cells = self.fields(cost, "description", "amount", "vat_included", "note")
            self.add(r.COSTS, cost, {**activity, **cells})

    def _indicators(self, indicators: Node) -> None:
        for node in self.items(indicators):
            cells: dict[str, Any] = self.fields(
                node,
                "number",
                "name",
                "project",
                "strategic_goals",
                "specific_goal",
                "specific_goal_note",
                "description",
                "future_indicators_intro",
                "target_state",
                "data_source",
                "methodology",
                "frequency",
                "frequency_text",
                "responsible_organisation",
                "responsible_department",
                "responsible_person",
                "last_update",
            )
            cells["future_indicators"] = self.lines(self.key(node, "future_indicators"), "\n")
            self.add(r.INDICATORS, node, cells)
            for sub in self.items(self.key(node, "sub_indicators")):
                cells = self.fields(
                    sub,
                    "code",
                    "name",
                    "description",
                    "kind",
                    "unit",
                    "direction",
                    "baseline_value",
                    "baseline_date",
                    "target_value",
                    "target_date",
                    "target_is_relative",
                    "target_text",
                )
                self.add(r.SUB_INDICATORS, sub, {**cells, "indicator": self.key(node, "number")})

    def _stack(self, items: Node) -> None:
        for node in self.items(items):
            label, area = self.key(node, "area_label"), self.key(node, "area")
            cells: dict[str, Any] = self.fields(
                node, "number", "name", "description", "status", "guarantor", "flagship", "note"
            )
            # The report's table has one cell for a number or its note, as the workbook.
            cells["area_text"] = label if label.value else area
            cells["finance_mil"] = self._number_or_note(node, "finance_mil", "finance_text")
            cells["duration_years"] = self._number_or_note(node, "duration_years", "duration_text")
            self.add(r.STACK, node, cells)
            extra = self.fields(node, "number", "area", "year_added", progress_note="progress_2020")
            self.add(r.STACK_EXTRA, node, extra)

    def _number_or_note(self, node: Node, number: str, note: str) -> Node:
        value, text = self.key(node, number), self.key(node, note)
        if value.value not in (None, "") and text.value not in (None, ""):
            self._problem(text, _("give either the number or the note, not both"))
        return value if value.value not in (None, "") else text

    def _steering_group(self, node: Node) -> None:
        members = self.items(self.key(node, "members"))
        for order, member in enumerate(members, start=1):
            cells: dict[str, Any] = self.fields(member, "role", "person", "organisation")
            self.add(r.MEMBERS, member, {**cells, "order": order})
        for meeting in self.items(self.key(node, "meetings")):
            cells = self.fields(
                meeting,
                "date",
                "date_text",
                "title",
                "agenda",
                "minutes",
                date_precision="precision",
            )
            self.add(r.MEETINGS, meeting, cells)
            for decision in self.items(self.key(meeting, "decisions")):
                cells = self.fields(
                    decision, "number", "text", "responsible", "responsible_organisation", "state"
                )
                self.add(r.DECISIONS, decision, {**cells, "meeting": self.key(meeting, "title")})

    # -- problems back in the fixture's terms ---------------------------------------
    def place(self, problem: Problem) -> str:
        """A writer's problem as the fixture's file and path: ``stack.yaml: items[3].name``."""
        value = f"„{problem.value}“ " if problem.value not in (None, "") else ""
        if problem.sheet is None:
            return f"{value}{problem.message}"
        if problem.sheet == PLAN_SHEET:
            where = "plan.yaml: plan" + (f".{problem.column}" if problem.column else "")
            return f"{where}: {value}{problem.message}"
        if problem.row is None:
            source = _FILES.get(problem.sheet, "plan.yaml")
            return f"{source}: {problem.sheet}: {value}{problem.message}"
        sheet = next(s for s in r.SHEETS if s.name == problem.sheet)
        where = self.rows.places.get((sheet.name, problem.row), problem.sheet)
        by_header = {c.header: c.field for c in sheet.columns}
        name = by_header.get(problem.column or "", problem.column or "")
        paths = self.paths.get((sheet.name, problem.row), {})
        if name in paths:
            where = paths[name]
        elif name and name != "__all__":
            where = f"{where}.{name}"
        return f"{where}: {value}{problem.message}"


def _refused(folder: Path, lines: list[str]) -> FixtureError:
    header = ngettext(
        "%(folder)s: the plan fixture was not loaded (%(count)s problem):",
        "%(folder)s: the plan fixture was not loaded (%(count)s problems):",
        len(lines),
    ) % {"folder": folder.name, "count": len(lines)}
    return FixtureError("\n".join([header, *(f"- {line}" for line in lines)]))


def fixture_rows(folder: Path) -> tuple[FixtureRows, list[Problem]]:
    """The fixture in ``folder`` as register rows, and the problems of its shape."""
    builder = FixtureRows(read_fixture(folder), source=folder.name)
    builder.build()
    return builder, builder.problems


def plan_fixture_load(*, folder: Path, replace: bool = False) -> tuple[Plan, bool]:
    """Load the plan fixture in ``folder`` through the plan writer; all or nothing.

    Returns the plan and whether anything was written. A plan whose slug already exists is
    left untouched unless ``replace`` is set, which deletes it first, so loading twice
    changes nothing. Every problem is reported at once, each with its file and path.
    """
    builder, problems = fixture_rows(folder)
    slug = builder.rows.plan_values.get("slug")
    with transaction.atomic():
        existing = Plan.objects.filter(slug=str(slug)).first() if slug else None
        if existing is not None and not replace:
            return existing, False
        if existing is not None:
            existing.delete()
        try:
            report = plan_rows_write(rows=builder.rows, problems=problems)
        except ImportRefusedError as exc:
            raise _refused(folder, [builder.place(p) for p in exc.problems]) from None
    assert report.plan is not None
    plan_publish(report.plan)
    return report.plan, True


def plan_publish(plan: Plan) -> None:
    """The demo's plans are public: anyone may read them (drafts, roles and people aside)."""
    if not plan.published:
        Plan.objects.filter(pk=plan.pk).update(published=True)
        plan.published = True
