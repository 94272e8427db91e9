"""The registers the API serves, as one declarative table: a URL segment, the model, the
fields it exposes. Filters, sorting and the serializer are derived from the model's fields
(see ``register_filters`` and ``register_serializers``); the few registers with rules of
their own name a ``RegisterRules`` subclass (``register_rules``).

Every register is read at ``/api/v1/plans/<slug>/<path>/`` and ``…/<path>/<id>/``; the
writable ones take POST, PUT, PATCH and DELETE too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from smartplan.api import register_rules as rules
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.organisations.models import Department, Organisation, Person
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    MunicipalProject,
    ProjectIdea,
    SurveyedMunicipality,
)
from smartplan.plans.models import Approval, Area, SpecificGoal, StrategicGoal
from smartplan.projects.models import (
    Activity,
    ActivityCost,
    ActivityFulfilment,
    FlagshipProject,
    FundingSource,
    ProjectStatusReport,
)
from smartplan.reports.models import Report
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem


@dataclass(frozen=True, eq=False)  # hashed by identity: one per register
class Register:
    """One register as the API serves it."""

    path: str
    model: type[models.Model]
    fields: tuple[str, ...]
    # Public name -> ORM path read instead of the id (``sub_indicator`` -> its code); read-only.
    codes: dict[str, str] = field(default_factory=dict)
    # The default order of a list (attnames, ``-`` descending); an index serves it.
    ordering: tuple[str, ...] = ("id",)
    writable: bool = True
    rules: type[rules.RegisterRules] = rules.RegisterRules

    @property
    def basename(self) -> str:
        return self.path.replace("-", "_")

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def model_field(self, name: str) -> Any:
        return self.model._meta.get_field(name)


REGISTERS: tuple[Register, ...] = (
    Register("approvals", Approval, ("body", "date", "resolution_number", "note")),
    Register("strategic-goals", StrategicGoal, ("code", "name", "description")),
    Register("specific-goals", SpecificGoal, ("strategic_goal", "code", "text")),
    Register("areas", Area, ("name", "short_name", "order")),
    Register("organisations", Organisation, ("name", "short_name", "ico", "kind", "website")),
    Register("departments", Department, ("organisation", "name", "short_name", "kind")),
    Register(
        "people",
        Person,
        ("name", "function", "organisation", "department", "email", "phone", "publish_contact"),
        rules=rules.PeopleRules,
    ),
    Register("funding-sources", FundingSource, ("code", "name")),
    Register(
        "flagship-projects",
        FlagshipProject,
        (
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
            "description",
            "coordinated",
            "not_coordinated_reason",
            "financing_note",
            "strategic_goals",
            "funding_sources",
        ),
    ),
    Register(
        "project-status-reports",
        ProjectStatusReport,
        ("project", "year", "quarter", "preparation_status", "planned_activities"),
    ),
    Register(
        "activities",
        Activity,
        (
            "project",
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
        ),
        rules=rules.ActivityRules,
    ),
    Register(
        "activity-fulfilments",
        ActivityFulfilment,
        ("activity", "year", "spent", "outputs"),
        rules=rules.FulfilmentRules,
    ),
    Register("costs", ActivityCost, ("activity", "description", "amount", "vat_included", "note")),
    Register(
        "indicators",
        Indicator,
        (
            "number",
            "name",
            "project",
            "specific_goal",
            "specific_goal_note",
            "description",
            "future_indicators_intro",
            "future_indicators",
            "target_state",
            "data_source",
            "methodology",
            "frequency",
            "frequency_text",
            "responsible_organisation",
            "responsible_department",
            "responsible_person",
            "last_update",
            "weight",
            "strategic_goals",
        ),
    ),
    Register(
        "sub-indicators",
        SubIndicator,
        (
            "indicator",
            "code",
            "name",
            "description",
            "kind",
            "unit",
            "direction",
            "aggregation",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "target_is_relative",
            "target_text",
            "weight",
            "source",
            "formula",
            "observation_series",
            "observation_method",
            "observation_baseline_year",
        ),
    ),
    Register(
        "measurements",
        Measurement,
        ("period_start", "date", "value", "note", "status"),
        codes={"sub_indicator": "sub_indicator__code"},
        ordering=("sub_indicator_id", "date", "id"),
    ),
    Register(
        "observation-series",
        ObservationSeries,
        ("code", "name", "unit", "subject", "project", "description"),
    ),
    Register(
        "observations",
        Observation,
        ("period_start", "period_end", "value", "source"),
        codes={"series": "series__code"},
        ordering=("series_id", "period_start", "id"),
    ),
    Register(
        "stack-items",
        StackItem,
        (
            "number",
            "area",
            "area_label",
            "name",
            "description",
            "status",
            "finance_mil",
            "finance_text",
            "duration_years",
            "duration_text",
            "guarantor",
            "flagship",
            "note",
            "year_added",
            "progress_note",
        ),
        rules=rules.StackItemRules,
    ),
    Register(
        "resources", Resource, ("title", "url", "area", "flagship", "description", "added_on")
    ),
    Register(
        "surveyed-municipalities",
        SurveyedMunicipality,
        ("organisation", "surveyed_on", "surveyed_on_precision", "note"),
    ),
    Register(
        "municipal-projects",
        MunicipalProject,
        ("municipality", "name", "area", "description", "state"),
    ),
    Register(
        "communication-activities",
        CommunicationActivity,
        ("date", "date_precision", "channel", "title", "url", "description"),
    ),
    Register("awards", Award, ("competition", "year", "category", "place", "url", "description")),
    Register(
        "project-ideas",
        ProjectIdea,
        ("title", "description", "area", "proposed_with", "year", "next_step"),
    ),
    Register(
        "steering-group-members",
        SteeringGroupMember,
        ("role", "person", "organisation", "order", "active_from", "active_to"),
    ),
    Register(
        "meetings",
        Meeting,
        ("date", "date_precision", "date_text", "title", "agenda", "minutes", "attendees"),
    ),
    Register(
        "decisions",
        Decision,
        (
            "meeting",
            "number",
            "text",
            "responsible",
            "responsible_organisation",
            "deadline",
            "state",
        ),
    ),
    Register(
        "reports",
        Report,
        (
            "kind",
            "year",
            "quarter",
            "introduction",
            "evaluation",
            "approved_by",
            "approved_on",
        ),
        writable=False,  # approving and freezing go through the report pages' rules
        rules=rules.ReportRules,
    ),
)

REGISTER_BY_PATH = {register.path: register for register in REGISTERS}
