"""Writes a plan fixture (see :mod:`fixture_reader`) into the database, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from smartplan.core.dates import DatePrecision
from smartplan.core.errors import FixtureError
from smartplan.demo.fixture_reader import Node, read_fixture
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Frequency, Indicator, SubIndicator
from smartplan.organisations.models import Department, Organisation, Person
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    ProjectIdea,
    SurveyedMunicipality,
)
from smartplan.plans.models import Approval, Area, Plan, SpecificGoal, StrategicGoal
from smartplan.projects.models import (
    Activity,
    ActivityCost,
    ActivityFulfilment,
    FlagshipProject,
    FundingSource,
    ProjectStatusReport,
)
from smartplan.stack.models import StackItem

M = TypeVar("M", bound=models.Model)


class _Lookup(dict[str, M]):
    """Named rows of one register; a miss names the place and the known names."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def resolve(self, node: Node) -> M:
        key = node.required_text()
        if key not in self:
            known = ", ".join(sorted(self)[:12])
            raise node.error(
                _("unknown %(what)s “%(name)s” (known: %(known)s)")
                % {"what": self.label, "name": key, "known": known}
            )
        return self[key]

    def resolve_optional(self, node: Node) -> M | None:
        return None if node.value in (None, "") else self.resolve(node)


def _saved(instance: M, where: Node) -> M:
    """Validate like a form would, so a fixture cannot store what the editor would refuse."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        detail = "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in exc.message_dict.items()
        )
        raise where.error(detail) from None
    instance.save()
    return instance


class PlanLoader:
    def __init__(self, documents: dict[str, Node]) -> None:
        self.docs = documents
        self.areas: _Lookup[Area] = _Lookup(_("area"))
        self.goals: _Lookup[StrategicGoal] = _Lookup(_("strategic goal"))
        self.specific_goals: _Lookup[SpecificGoal] = _Lookup(_("specific goal"))
        self.organisations: _Lookup[Organisation] = _Lookup(_("organisation"))
        self.departments: _Lookup[Department] = _Lookup(_("department"))
        self.people: _Lookup[Person] = _Lookup(_("person"))
        self.funding: _Lookup[FundingSource] = _Lookup(_("funding source"))
        self.projects: _Lookup[FlagshipProject] = _Lookup(_("flagship project"))

    def load(self) -> Plan:
        root = self.docs["plan.yaml"]
        plan = self._plan(root)
        self._frame(plan, root)
        self._people(plan, root)
        self._plan_owners(plan, root["plan"])
        self._partnerships(plan, root)
        self._projects(plan, self.docs["projects.yaml"]["projects"])
        self._indicators(plan, self.docs["indicators.yaml"]["indicators"])
        self._stack(plan, self.docs["stack.yaml"]["items"])
        self._steering_group(plan, root["steering_group"])
        return plan

    def _plan(self, root: Node) -> Plan:
        node = root["plan"]
        plan = Plan(
            slug=node["slug"].required_text(),
            name=node["name"].required_text(),
            territory_kind=node["territory_kind"].required_text(),
            territory_name=node["territory_name"].required_text(),
            ruian_code=node["ruian_code"].required_text(),
            period_from=node["period_from"].integer(),
            period_to=node["period_to"].integer(),
            concept_name=node.get("concept_name").text(),
            concept_url=node.get("concept_url").text(),
            vision=node.get("vision").text(),
            description=node.get("description").text(),
        )
        return _saved(plan, node)

    def _frame(self, plan: Plan, root: Node) -> None:
        for node in root["approvals"].items():
            _saved(
                Approval(
                    plan=plan,
                    body=node["body"].required_text(),
                    date=node["date"].date(),
                    resolution_number=node.get("resolution_number").text(),
                ),
                node,
            )
        for node in root["strategic_goals"].items():
            goal = _saved(
                StrategicGoal(
                    plan=plan, code=node["code"].integer(), name=node["name"].required_text()
                ),
                node,
            )
            self.goals[str(goal.code)] = goal
        for node in root["specific_goals"].items():
            code = node["code"].required_text()
            parent = self.goals.resolve(Node(code.split(".")[0], node.where + ".code"))
            specific = _saved(
                SpecificGoal(
                    plan=plan, strategic_goal=parent, code=code, text=node["text"].required_text()
                ),
                node,
            )
            self.specific_goals[code] = specific
        for order, node in enumerate(root["areas"].items(), start=1):
            area = _saved(
                Area(
                    plan=plan,
                    name=node["name"].required_text(),
                    short_name=node.get("short_name").text(),
                    order=order,
                ),
                node,
            )
            self.areas[area.name] = area
        for node in root["funding_sources"].items():
            source = _saved(
                FundingSource(
                    plan=plan, code=node["code"].required_text(), name=node["name"].required_text()
                ),
                node,
            )
            self.funding[source.code] = source

    def _people(self, plan: Plan, root: Node) -> None:
        for node in root["organisations"].items():
            organisation = _saved(
                Organisation(
                    plan=plan,
                    short_name=node["short_name"].required_text(),
                    name=node["name"].required_text(),
                    ico=node.get("ico").text(),
                    kind=node.get("kind", Organisation.Kind.OTHER).text(),
                    website=node.get("website").text(),
                ),
                node,
            )
            self.organisations[organisation.short_name] = organisation
        region = self.organisations.resolve(root["plan"]["owner"])
        for node in root["departments"].items():
            department = _saved(
                Department(
                    plan=plan,
                    organisation=region,
                    name=node["name"].required_text(),
                    kind=node.get("kind", Department.Kind.DEPARTMENT).text(),
                ),
                node,
            )
            self.departments[department.name] = department
        for node in root["people"].items():
            person = _saved(
                Person(
                    plan=plan,
                    name=node["name"].required_text(),
                    function=node.get("function").text(),
                    organisation=self.organisations.resolve_optional(node.get("organisation")),
                    department=self.departments.resolve_optional(node.get("department")),
                    email=node.get("email").text(),
                    phone=node.get("phone").text(),
                    publish_contact=True,
                ),
                node,
            )
            self.people[person.name] = person

    def _plan_owners(self, plan: Plan, node: Node) -> None:
        plan.owner = self.organisations.resolve(node["owner"])
        plan.coordinator = self.organisations.resolve(node["coordinator"])
        plan.save(update_fields=["owner", "coordinator"])

    def _partnerships(self, plan: Plan, root: Node) -> None:
        survey = root["surveyed_municipalities"]
        for town in survey["towns"].items():
            _saved(
                SurveyedMunicipality(
                    plan=plan,
                    organisation=self.organisations.resolve(town),
                    surveyed_on=survey["surveyed_on"].date(),
                    surveyed_on_precision=survey["precision"].required_text(),
                    note=survey.get("note").text(),
                ),
                town,
            )
        for node in root["communication"].items():
            _saved(
                CommunicationActivity(
                    plan=plan,
                    date=node["date"].optional_date(),
                    date_precision=node.get("precision", DatePrecision.DAY).text(),
                    channel=node["channel"].required_text(),
                    title=node["title"].required_text(),
                    url=node.get("url").text(),
                    description=node.get("description").text(),
                ),
                node,
            )
        for node in root["awards"].items():
            _saved(
                Award(
                    plan=plan,
                    competition=node["competition"].required_text(),
                    year=node["year"].integer(),
                    category=node.get("category").text(),
                    place=node.get("place").optional_integer(),
                    url=node.get("url").text(),
                    description=node.get("description").text(),
                ),
                node,
            )
        for node in root["ideas"].items():
            _saved(
                ProjectIdea(
                    plan=plan,
                    title=node["title"].required_text(),
                    description=node.get("description").text(),
                    area=self.areas.resolve_optional(node.get("area")),
                    proposed_with=self.organisations.resolve_optional(node.get("proposed_with")),
                    year=node["year"].integer(),
                    next_step=node.get("next_step").text(),
                ),
                node,
            )

    def _projects(self, plan: Plan, projects: Node) -> None:
        for node in projects.items():
            project = _saved(
                FlagshipProject(
                    plan=plan,
                    number=node["number"].integer(),
                    name=node["name"].required_text(),
                    subtitle=node.get("subtitle").text(),
                    area=self.areas.resolve(node["area"]),
                    guarantor=self.departments.resolve_optional(node["guarantor"]),
                    guarantor_contact=self.people.resolve_optional(node["guarantor_contact"]),
                    implementer=self.organisations.resolve_optional(node["implementer"]),
                    implementer_department=self.departments.resolve_optional(
                        node["implementer_department"]
                    ),
                    implementer_contact=self.people.resolve_optional(node["implementer_contact"]),
                    council_member=self.people.resolve_optional(node["council_member"]),
                    council_portfolio=node.get("council_portfolio").text(),
                    description=node["description_points"].paragraphs(),
                    coordinated=node["coordinated"].boolean(),
                    not_coordinated_reason=node.get("not_coordinated_reason").text(),
                    financing_note=node.get("financing_note").text(),
                ),
                node,
            )
            project.strategic_goals.set(
                [self.goals.resolve(goal) for goal in node["strategic_goals"].items()]
            )
            project.funding_sources.set(
                [self.funding.resolve(code) for code in node["funding_sources"].items()]
            )
            self.projects[str(project.number)] = project
            for report in node["status_reports"].items():
                _saved(
                    ProjectStatusReport(
                        plan=plan,
                        project=project,
                        year=report["year"].integer(),
                        quarter=report.get("quarter").optional_integer(),
                        preparation_status=report["preparation_status"].paragraphs(),
                        planned_activities=report["planned_activities"].paragraphs(),
                    ),
                    report,
                )
            for activity_node in node["activities"].items():
                self._activity(plan, project, activity_node)

    def _activity(self, plan: Plan, project: FlagshipProject, node: Node) -> None:
        activity = _saved(
            Activity(
                plan=plan,
                project=project,
                number=node["number"].integer(),
                part=node.get("part").text(),
                description=node["description"].required_text(),
                expected_outputs=node.get("expected_outputs").text(),
                timing_text=node.get("timing_text").text(),
                timing_from=node.get("timing_from").optional_integer(),
                timing_to=node.get("timing_to").optional_integer(),
                continuous=node.get("continuous", False).boolean(),
                cost_min=node.get("cost_min").optional_decimal(),
                cost_max=node.get("cost_max").optional_decimal(),
                cost_note=node.get("cost_note").text(),
            ),
            node,
        )
        activity.funding_sources.set(
            [self.funding.resolve(code) for code in node.get("funding_sources").items()]
        )
        for fulfilment in node.get("fulfilment").items():
            _saved(
                ActivityFulfilment(
                    plan=plan,
                    activity=activity,
                    year=fulfilment["year"].integer(),
                    outputs=fulfilment.get("outputs").text(),
                    spent=fulfilment["spent"].decimal(),
                ),
                fulfilment,
            )
        for cost in node.get("documented_costs").items():
            _saved(
                ActivityCost(
                    plan=plan,
                    activity=activity,
                    description=cost["description"].required_text(),
                    amount=cost["amount"].decimal(),
                    vat_included=cost["vat_included"].boolean(),
                    note=cost.get("note").text(),
                ),
                cost,
            )

    def _indicators(self, plan: Plan, indicators: Node) -> None:
        for node in indicators.items():
            frequency = node["frequency"].required_text()
            if frequency not in Frequency.values:
                raise node["frequency"].error(
                    _("unknown frequency “%(value)s”") % {"value": frequency}
                )
            indicator = _saved(
                Indicator(
                    plan=plan,
                    number=node["number"].integer(),
                    name=node["name"].required_text(),
                    project=self.projects.resolve_optional(node["project"]),
                    specific_goal=self.specific_goals.resolve_optional(node["specific_goal"]),
                    specific_goal_note=node.get("specific_goal_note").text(),
                    description=node.get("description").text(),
                    future_indicators_intro=node.get("future_indicators_intro").text(),
                    future_indicators="\n".join(node.get("future_indicators").text_list()),
                    target_state=node.get("target_state").text(),
                    data_source=node.get("data_source").text(),
                    methodology=node.get("methodology").text(),
                    frequency=frequency,
                    frequency_text=node.get("frequency_text").text(),
                    responsible_organisation=self.organisations.resolve_optional(
                        node.get("responsible_organisation")
                    ),
                    responsible_department=self.departments.resolve_optional(
                        node.get("responsible_department")
                    ),
                    responsible_person=self.people.resolve_optional(node.get("responsible_person")),
                    last_update=node.get("last_update").optional_date(),
                ),
                node,
            )
            indicator.strategic_goals.set(
                [self.goals.resolve(goal) for goal in node["strategic_goals"].items()]
            )
            for sub in node["sub_indicators"].items():
                _saved(self._sub_indicator(plan, indicator, sub), sub)

    @staticmethod
    def _sub_indicator(plan: Plan, indicator: Indicator, node: Node) -> SubIndicator:
        return SubIndicator(
            plan=plan,
            indicator=indicator,
            code=node["code"].required_text(),
            name=node["name"].required_text(),
            description=node.get("description").text(),
            kind=node["kind"].required_text(),
            unit=node.get("unit").text(),
            direction=node.get("direction", "up").text(),
            baseline_value=node.get("baseline_value").optional_decimal(),
            baseline_date=node.get("baseline_date").optional_date(),
            target_value=node.get("target_value").optional_decimal(),
            target_date=node.get("target_date").optional_date(),
            target_is_relative=node.get("target_is_relative", False).boolean(),
            target_text=node.get("target_text").text(),
        )

    def _stack(self, plan: Plan, items: Node) -> None:
        for node in items.items():
            _saved(
                StackItem(
                    plan=plan,
                    number=node["number"].integer(),
                    area=self.areas.resolve(node["area"]),
                    area_label=node.get("area_label").text(),
                    name=node["name"].required_text(),
                    description=node.get("description").text(),
                    status=node["status"].integer(),
                    finance_mil=node.get("finance_mil").optional_decimal(),
                    finance_text=node.get("finance_text").text(),
                    duration_years=node.get("duration_years").optional_integer(),
                    duration_text=node.get("duration_text").text(),
                    guarantor=self.departments.resolve_optional(node.get("guarantor")),
                    flagship=self.projects.resolve_optional(node.get("flagship")),
                    note=node.get("note").text(),
                    year_added=node.get("year_added").optional_integer(),
                    progress_note=node.get("progress_2020").text(),
                ),
                node,
            )

    def _steering_group(self, plan: Plan, node: Node) -> None:
        members = []
        for order, member in enumerate(node["members"].items(), start=1):
            members.append(
                _saved(
                    SteeringGroupMember(
                        plan=plan,
                        role=member["role"].required_text(),
                        person=self.people.resolve_optional(member.get("person")),
                        organisation=self.organisations.resolve_optional(
                            member.get("organisation")
                        ),
                        order=order,
                    ),
                    member,
                )
            )
        for meeting_node in node["meetings"].items():
            meeting = _saved(
                Meeting(
                    plan=plan,
                    date=meeting_node["date"].date(),
                    date_precision=meeting_node.get("precision", DatePrecision.DAY).text(),
                    date_text=meeting_node.get("date_text").text(),
                    title=meeting_node["title"].required_text(),
                    agenda=meeting_node.get("agenda").text(),
                    minutes=meeting_node.get("minutes").text(),
                ),
                meeting_node,
            )
            for decision in meeting_node.get("decisions").items():
                _saved(
                    Decision(
                        plan=plan,
                        meeting=meeting,
                        number=decision["number"].required_text(),
                        text=decision["text"].required_text(),
                        responsible=self.people.resolve_optional(decision.get("responsible")),
                        responsible_organisation=self.organisations.resolve_optional(
                            decision.get("responsible_organisation")
                        ),
                        state=decision.get("state", Decision.State.OPEN).text(),
                    ),
                    decision,
                )


def plan_fixture_load(*, folder: Path, replace: bool = False) -> tuple[Plan, bool]:
    """Load the plan fixture in ``folder``; all or nothing.

    Returns the plan and whether anything was written. A plan whose slug already exists is
    left untouched unless ``replace`` is set, which deletes it first, so loading twice
    changes nothing.
    """
    documents = read_fixture(folder)
    slug = documents["plan.yaml"]["plan"]["slug"].required_text()
    with transaction.atomic():
        existing = Plan.objects.filter(slug=slug).first()
        if existing is not None and not replace:
            return existing, False
        if existing is not None:
            existing.delete()
        try:
            return PlanLoader(documents).load(), True
        except FixtureError:
            raise
        except Exception as exc:
            raise FixtureError(
                _("%(folder)s: the fixture could not be stored (%(detail)s)")
                % {"folder": folder.name, "detail": _describe(exc)}
            ) from exc


def _describe(exc: Exception) -> str:
    text: Any = exc.args[0] if exc.args else exc
    return str(text).splitlines()[0]
