"""The matrix's world: one row of every register in plan 1 (the demo), each actor's account.

Built once per test from the session's template (a few dozen inserts); the targets are
named as in :mod:`smartplan.access.tests.expectations`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model

from smartplan.access.models import PlanRole
from smartplan.access.services import plan_role_grant, provider_token_create
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Indicator, Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.models import (
    MonitoringSettings,
    ReminderLog,
    RollUpState,
    SubIndicatorState,
)
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.opendata.models import Feedback
from smartplan.organisations.models import Department, Organisation, Person
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    MunicipalProject,
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
from smartplan.reports.models import Report, ReportFile, ReportJob
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem

PASSWORD = "heslo-matice"
PROJECT_A, PROJECT_B = 4, 1  # the demo's projects 4 (it has costs) and 1


@dataclass
class World:
    plan: Plan
    other_plan: Plan
    targets: dict[str, Model] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def _first(model: type[Model], **where: Any) -> Any:
    found = model._default_manager.filter(**where).order_by("pk").first()
    assert found is not None, (model, where)
    return found


def _under(plan: Plan, project: FlagshipProject, side: str, world: World) -> SubIndicator:
    activity = _first(Activity, project=project)
    sub: SubIndicator = _first(SubIndicator, indicator__project=project)
    fulfilment = _first(ActivityFulfilment, activity__project=project)
    cost = ActivityCost.objects.filter(activity__project=project).first() or (
        ActivityCost.objects.create(
            plan=plan, activity=activity, description=f"Náklad {side}", amount=Decimal(1000)
        )
    )
    status_report = ProjectStatusReport.objects.filter(project=project).first() or (
        ProjectStatusReport.objects.create(plan=plan, project=project, year=2020)
    )
    measurement = Measurement.objects.create(
        plan=plan, sub_indicator=sub, date=dt.date(2021, 12, 31), value=Decimal(5)
    )
    revision = MeasurementRevision.objects.create(
        plan=plan,
        measurement=measurement,
        old_date=measurement.date,
        old_value=Decimal(4),
        old_status="final",
        reason="Oprava",
    )
    series = ObservationSeries.objects.create(
        plan=plan, code=f"rada-{side.lower()}", name=f"Řada {side}", unit="ks", project=project
    )
    observation = Observation.objects.create(
        plan=plan,
        series=series,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 12, 31),
        value=Decimal(7),
    )
    rows: dict[str, Model] = {
        "projects.flagshipproject": project,
        "projects.projectstatusreport": status_report,
        "projects.activity": activity,
        "projects.activityfulfilment": fulfilment,
        "projects.activitycost": cost,
        "indicators.indicator": _first(Indicator, project=project),
        "indicators.subindicator": sub,
        "indicators.measurement": measurement,
        "indicators.measurementrevision": revision,
        "observations.observationseries": series,
        "observations.observation": observation,
    }
    for label, row in rows.items():
        world.targets[f"{label}@{side}"] = row
    return sub


def world_build(plan: Plan, other_plan: Plan) -> World:
    """Every target of the matrix in ``plan``, and an account for every actor."""
    world = World(plan=plan, other_plan=other_plan)
    project_a = _first(FlagshipProject, plan=plan, number=PROJECT_A)
    project_b = _first(FlagshipProject, plan=plan, number=PROJECT_B)
    sub_a = _under(plan, project_a, "A", world)
    _under(plan, project_b, "B", world)
    draft = Report.objects.create(plan=plan, kind="annual", year=2021)
    approved = Report.objects.create(
        plan=plan,
        kind="annual",
        year=2020,
        approved_by="Řídící skupina",
        approved_on=dt.date(2021, 3, 1),
    )
    report_file = ReportFile.objects.create(
        plan=plan, report=approved, format="html", content=b"<p>Zprava</p>", sha256="0" * 64
    )
    job = ReportJob.objects.create(plan=plan, report=draft, format="pdf")
    settings = MonitoringSettings.objects.create(plan=plan)
    reminder = ReminderLog.objects.create(
        plan=plan,
        sub_indicator=sub_a,
        due_date=dt.date(2022, 1, 1),
        kind=ReminderLog.Kind.choices[0][0],
        recipient="garant@example.invalid",
    )
    resource = Resource.objects.create(
        plan=plan,
        title="Zdroj",
        url="https://example.invalid/zdroj",
        area=_first(Area, plan=plan),
        added_on=dt.date(2020, 5, 1),
    )
    world.targets.update(
        {
            "plans.plan": plan,
            "plans.approval": _first(Approval, plan=plan),
            "plans.strategicgoal": _first(StrategicGoal, plan=plan),
            "plans.specificgoal": _first(SpecificGoal, plan=plan),
            "plans.area": _first(Area, plan=plan),
            "organisations.organisation": _first(Organisation, plan=plan),
            "organisations.department": _first(Department, plan=plan),
            "organisations.person": _first(Person, plan=plan),
            "projects.fundingsource": _first(FundingSource, plan=plan),
            "stack.stackitem": _first(StackItem, plan=plan),
            "resources.resource": resource,
            "partnerships.surveyedmunicipality": _first(SurveyedMunicipality, plan=plan),
            "partnerships.municipalproject": MunicipalProject.objects.create(
                plan=plan, municipality=_first(SurveyedMunicipality, plan=plan), name="Projekt"
            ),
            "partnerships.communicationactivity": _first(CommunicationActivity, plan=plan),
            "partnerships.award": _first(Award, plan=plan),
            "partnerships.projectidea": _first(ProjectIdea, plan=plan),
            "governance.steeringgroupmember": _first(SteeringGroupMember, plan=plan),
            "governance.meeting": _first(Meeting, plan=plan),
            "governance.decision": _first(Decision, plan=plan),
            "monitoring.monitoringsettings": settings,
            "monitoring.subindicatorstate": _first(SubIndicatorState, plan=plan),
            "monitoring.rollupstate": _first(RollUpState, plan=plan),
            "monitoring.reminderlog": reminder,
            "reports.report@draft": draft,
            "reports.report@approved": approved,
            "reports.reportfile": report_file,
            "reports.reportjob": job,
            "opendata.feedback": Feedback.objects.create(
                plan=plan, dataset="projekty", message="Chybí IČO realizátora."
            ),
        }
    )
    world.users = _actors(world, project_a, sub_a)
    world.targets["access.planrole"] = PlanRole.objects.get(
        plan=plan, user=world.users["coordinator"], role="coordinator"
    )
    world.targets["access.providertoken"] = provider_token_create(
        plan=plan, name="Čidla", sub_indicators=[sub_a], created_by=world.users["coordinator"]
    ).token
    return world


def _account(username: str, **extra: Any) -> User:
    return User.objects.create_user(username, f"{username}@example.invalid", PASSWORD, **extra)


def _actors(world: World, project_a: FlagshipProject, sub_a: SubIndicator) -> dict[str, Any]:
    plan, other = world.plan, world.other_plan
    users: dict[str, Any] = {
        "admin": User.objects.create_superuser("spravce", "s@example.invalid", PASSWORD),
        "coordinator": _account("koordinator-1"),
        "other_coordinator": _account("koordinator-2"),
        "guarantor": _account("garant-a"),
        "provider": _account("poskytovatel-s1"),
        "steering": _account("ridici"),
        "staff": _account("jen-staff", is_staff=True),
    }
    plan_role_grant(plan=plan, user=users["coordinator"], role="coordinator")
    plan_role_grant(plan=other, user=users["other_coordinator"], role="coordinator")
    plan_role_grant(plan=plan, user=users["guarantor"], role="guarantor", projects=[project_a])
    plan_role_grant(plan=plan, user=users["provider"], role="provider", sub_indicators=[sub_a])
    plan_role_grant(plan=plan, user=users["steering"], role="steering")
    users["public"] = AnonymousUser()
    return users


def fresh(user: Any) -> Any:
    """The actor as a new request sees them (no roles read yet)."""
    if isinstance(user, AnonymousUser):
        return AnonymousUser()
    return User.objects.get(pk=user.pk)
