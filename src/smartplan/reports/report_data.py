"""Everything a report shows, read from the registers in a bounded number of queries.

The renderers (HTML/PDF, DOCX) take these plain objects; they never query themselves.
This module only assembles: every figure comes from the selector that owns it, the same
one the dashboard reads. Progress, status and due dates are
:func:`monitoring.selectors.plan_figures` as of the end of the period (so a report for 2020
shows the state of 31. 12. 2020 whatever was entered later); money is
:func:`projects.selectors.plan_money`; stack totals are :mod:`stack.selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Prefetch, Q

from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.selectors import PlanFigures, plan_figures
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    ProjectIdea,
    SurveyedMunicipality,
)
from smartplan.plans.models import Approval, Area, Plan
from smartplan.projects.models import (
    Activity,
    ActivityFulfilment,
    FlagshipProject,
    ProjectStatusReport,
)
from smartplan.projects.money import MoneyRange
from smartplan.projects.selectors import PlanMoney, plan_money
from smartplan.reports.models import Report
from smartplan.reports.quarter_changes import (
    SpentInPeriod,
    StatusChange,
    money_spent,
    stack_changes,
)
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem, StackStatus
from smartplan.stack.selectors import (
    StackTotals,
    stack_by_area,
    stack_by_status,
    stack_plan_total,
    stack_totals,
)


@dataclass
class SubResult:
    sub: SubIndicator
    assessment: rules.Assessment


@dataclass
class IndicatorCard:
    indicator: Indicator
    project: FlagshipProject | None
    subs: list[SubResult]
    summary: rules.RollUp


@dataclass
class ProjectCard:
    project: FlagshipProject
    status: ProjectStatusReport | None
    activities: list[Activity]
    rows: list[tuple[Activity, ActivityFulfilment | None]]
    spent_in_year: Decimal
    planned: MoneyRange


@dataclass
class ReportData:
    report: Report
    plan: Plan
    period_start: dt.date
    period_end: dt.date
    title: str
    approvals: list[Approval]
    resources_by_area: list[tuple[str, int]]
    resources_total: int
    communication: list[CommunicationActivity]
    awards: list[Award]
    municipalities: list[SurveyedMunicipality]
    ideas: list[ProjectIdea]
    projects: list[ProjectCard]
    indicators: list[IndicatorCard]
    members: list[SteeringGroupMember]
    meetings: list[Meeting]
    decisions: list[Decision]
    stack_original: list[StackItem]
    stack_new: list[StackItem]
    stack_total: Decimal
    stack_by_status: list[tuple[str, int, Decimal]]
    stack_by_area: list[tuple[str, int, Decimal]]
    stack_grand_total: StackTotals
    money: PlanMoney  # planned and spent per project and for the plan
    figures: PlanFigures  # every monitoring figure as of the period's end
    status_changes: list[Any] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    status_legend: list[tuple[int, str]] = field(default_factory=list)
    # Quarterly reports only:
    moved: list[tuple[IndicatorCard, Decimal | None]] = field(default_factory=list)
    overdue: list[tuple[SubIndicator, dt.date]] = field(default_factory=list)
    # From the registers' history (reports.quarter_changes):
    stack_created: list[StackItem] = field(default_factory=list)
    stack_status_changes: list[StatusChange] = field(default_factory=list)
    money_in_quarter: list[SpentInPeriod] = field(default_factory=list)

    @property
    def stack_count(self) -> int:
        return self.stack_grand_total.items


def _period(report: Report) -> tuple[dt.date, dt.date]:
    if report.kind == Report.Kind.QUARTERLY and report.quarter:
        start = dt.date(report.year, 3 * (report.quarter - 1) + 1, 1)
        end_month = start.month + 2
        end = dt.date(report.year + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end
    return dt.date(report.year, 1, 1), dt.date(report.year, 12, 31)


def _indicators(plan: Plan, figures: PlanFigures) -> list[IndicatorCard]:
    by_indicator: dict[int, list[SubResult]] = defaultdict(list)
    for figure in figures.subs:
        by_indicator[figure.sub.indicator_id].append(SubResult(figure.sub, figure.assessment))
    indicators = (
        Indicator.objects.filter(plan=plan)
        .select_related(
            "project__guarantor",
            "project__guarantor_contact",
            "project__implementer",
            "project__implementer_department",
            "project__implementer_contact",
            "project__council_member",
            "specific_goal",
            "responsible_organisation",
            "responsible_department",
            "responsible_person",
        )
        .prefetch_related("strategic_goals")
        .order_by("number")
    )
    return [
        IndicatorCard(
            indicator,
            indicator.project,
            by_indicator.get(indicator.pk, []),
            figures.rollup("indicator", str(indicator.number)),
        )
        for indicator in indicators
    ]


def _projects(plan: Plan, report: Report, money: PlanMoney) -> list[ProjectCard]:
    year = report.year
    status_filter = (
        Q(year=year, quarter=report.quarter)
        if report.quarter
        else Q(year=year, quarter__isnull=True)
    )
    projects = (
        FlagshipProject.objects.filter(plan=plan)
        .select_related(
            "area", "guarantor", "implementer", "implementer_department", "council_member"
        )
        .prefetch_related(
            "strategic_goals",
            "funding_sources",
            Prefetch(
                "status_reports",
                queryset=ProjectStatusReport.objects.filter(status_filter),
                to_attr="period_reports",
            ),
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("number", "part").prefetch_related(
                    "funding_sources"
                ),
                to_attr="ordered_activities",
            ),
        )
        .order_by("number")
    )
    fulfilment: dict[int, ActivityFulfilment] = {
        f.activity_id: f for f in ActivityFulfilment.objects.filter(plan=plan, year=year)
    }
    cards = []
    for project in projects:
        activities = cast(list[Activity], project.ordered_activities)
        reports = cast(list[ProjectStatusReport], project.period_reports)
        status = reports[0] if reports else None
        rows = [(a, fulfilment.get(a.pk)) for a in activities]
        figures = money.of(project.pk)
        cards.append(
            ProjectCard(project, status, activities, rows, figures.spent_in_year, figures.planned)
        )
    return cards


def _quarter_extras(data: ReportData) -> None:
    """What changed in the quarter: indicators that moved, overdue values, stack, money."""
    plan, start, end = data.plan, data.period_start, data.period_end
    before = plan_figures(plan=plan, as_of=start - dt.timedelta(days=1))
    for card in data.indicators:
        earlier = before.rollup("indicator", str(card.indicator.number)).progress
        if card.summary.progress != earlier:
            data.moved.append((card, earlier))
    data.overdue = [
        (figure.sub, cast(dt.date, figure.next_due)) for figure in data.figures.overdue()
    ]
    # The stack's status changes and the money spent within the quarter come from the
    # history: the state at the end of the day before the quarter against its last day.
    data.stack_created, data.stack_status_changes = stack_changes(plan=plan, start=start, end=end)
    data.money_in_quarter = money_spent(plan=plan, start=start, end=end)


def report_data(*, report: Report) -> ReportData:
    """The content of ``report`` as of the end of its period."""
    plan = Plan.objects.select_related("owner", "coordinator").get(pk=report.plan_id)
    start, end = _period(report)
    resources = Resource.objects.filter(plan=plan, added_on__lte=end)
    by_area = [
        (area.name, area.count)
        for area in Area.objects.filter(plan=plan)
        .annotate(count=Count("resources", filter=Q(resources__added_on__lte=end)))
        .order_by("order")
    ]
    stack = list(
        StackItem.objects.filter(plan=plan)
        .select_related("area", "guarantor", "flagship")
        .order_by("number")
    )
    new = [item for item in stack if item.year_added == report.year]
    original = [item for item in stack if item.year_added is None or item.year_added < report.year]
    original_totals = stack_totals(
        queryset=StackItem.objects.filter(plan=plan).filter(
            Q(year_added__isnull=True) | Q(year_added__lt=report.year)
        )
    )
    figures = plan_figures(plan=plan, as_of=end)
    money = plan_money(plan=plan, year=report.year)
    kind_title = (
        "VÝROČNÍ ZPRÁVA ZA ROK"
        if report.kind == Report.Kind.ANNUAL
        else "DÍLČÍ MONITOROVACÍ ZPRÁVA"
    )
    title = (
        f"{kind_title} {report.year}"
        if report.kind == Report.Kind.ANNUAL
        else f"{kind_title} – {report.quarter}. čtvrtletí {report.year}"
    )
    data = ReportData(
        report=report,
        plan=plan,
        period_start=start,
        period_end=end,
        title=title,
        approvals=list(Approval.objects.filter(plan=plan).order_by("date")),
        resources_by_area=by_area,
        resources_total=resources.count(),
        communication=list(
            CommunicationActivity.objects.filter(plan=plan, date__range=(start, end)).order_by(
                "date"
            )
        ),
        awards=list(Award.objects.filter(plan=plan, year=report.year)),
        municipalities=list(
            SurveyedMunicipality.objects.filter(plan=plan)
            .select_related("organisation")
            .prefetch_related("projects")
        ),
        ideas=list(
            ProjectIdea.objects.filter(plan=plan, year=report.year).select_related(
                "area", "proposed_with"
            )
        ),
        projects=_projects(plan, report, money),
        indicators=_indicators(plan, figures),
        members=list(
            SteeringGroupMember.objects.filter(plan=plan)
            .select_related("person", "organisation")
            .order_by("order")
        ),
        meetings=list(Meeting.objects.filter(plan=plan, date__range=(start, end)).order_by("date")),
        decisions=list(
            Decision.objects.filter(plan=plan, meeting__date__lte=end)
            .select_related("meeting", "responsible", "responsible_organisation")
            .order_by("number")
        ),
        stack_original=original,
        stack_new=new,
        stack_total=original_totals.finance_mil,
        stack_by_status=[
            (f"{group.key} {group.label}", group.items, group.finance_mil)
            for group in stack_by_status(plan=plan)
        ],
        stack_by_area=[
            (group.label, group.items, group.finance_mil) for group in stack_by_area(plan=plan)
        ],
        stack_grand_total=stack_plan_total(plan=plan),
        money=money,
        figures=figures,
        measurements=list(
            Measurement.objects.filter(plan=plan, date__range=(start, end))
            .select_related("sub_indicator")
            .order_by("date")
        ),
        status_legend=[(int(status.value), str(status.label)) for status in StackStatus],
    )
    if report.kind == Report.Kind.QUARTERLY:
        _quarter_extras(data)
    return data
