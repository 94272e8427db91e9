"""Everything a report shows, read from the registers in a bounded number of queries.

The renderers (HTML/PDF, DOCX) take these plain objects; they never query themselves.
Progress and status come from the monitoring rules evaluated at the end of the period, so a
report for 2020 shows the state of 31. 12. 2020 whatever was entered later.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Max, Prefetch, Q, Sum

from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring import rules
from smartplan.monitoring.selectors import plan_thresholds, target_of
from smartplan.monitoring.values import current_values
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
from smartplan.reports.models import Report
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem, StackStatus


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
    planned: Decimal


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
    status_changes: list[Any] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    status_legend: list[tuple[int, str]] = field(default_factory=list)
    # Quarterly reports only:
    moved: list[tuple[IndicatorCard, Decimal | None]] = field(default_factory=list)
    overdue: list[tuple[SubIndicator, dt.date]] = field(default_factory=list)
    stack_created: list[StackItem] = field(default_factory=list)
    stack_changed: list[StackItem] = field(default_factory=list)
    fulfilment_changed: list[ActivityFulfilment] = field(default_factory=list)

    @property
    def stack_count(self) -> int:
        return len(self.stack_original) + len(self.stack_new)


def _period(report: Report) -> tuple[dt.date, dt.date]:
    if report.kind == Report.Kind.QUARTERLY and report.quarter:
        start = dt.date(report.year, 3 * (report.quarter - 1) + 1, 1)
        end_month = start.month + 2
        end = dt.date(report.year + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end
    return dt.date(report.year, 1, 1), dt.date(report.year, 12, 31)


def _indicators(plan: Plan, as_of: dt.date) -> list[IndicatorCard]:
    thresholds = plan_thresholds(plan=plan)
    subs = list(
        SubIndicator.objects.filter(plan=plan)
        .select_related("indicator")
        .order_by("indicator__number", "code")
    )
    values = current_values(plan=plan, subs=subs, as_of=as_of)
    by_indicator: dict[int, list[SubResult]] = defaultdict(list)
    for sub in subs:
        current = values[sub.pk]
        if current.error:
            assessment = rules.Assessment(rules.NO_DATA, current.error)
        else:
            assessment = rules.assess(
                target_of(sub),
                value=current.value,
                value_date=current.date,
                as_of=as_of,
                thresholds=thresholds,
            )
        by_indicator[sub.indicator_id].append(SubResult(sub, assessment))
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
    cards = []
    for indicator in indicators:
        results = by_indicator.get(indicator.pk, [])
        summary = rules.roll_up(((r.assessment, r.sub.weight) for r in results), thresholds)
        cards.append(IndicatorCard(indicator, indicator.project, results, summary))
    return cards


def _projects(plan: Plan, report: Report, start: dt.date, end: dt.date) -> list[ProjectCard]:
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
        spent = sum((fulfilment[a.pk].spent for a in activities if a.pk in fulfilment), Decimal(0))
        planned = sum((a.cost_max or a.cost_min or Decimal(0) for a in activities), Decimal(0))
        reports = cast(list[ProjectStatusReport], project.period_reports)
        status = reports[0] if reports else None
        rows = [(a, fulfilment.get(a.pk)) for a in activities]
        cards.append(ProjectCard(project, status, activities, rows, spent, planned))
    return cards


def _quarter_extras(data: ReportData) -> None:
    """What changed in the quarter: indicators that moved, overdue values, stack, money."""
    plan, start, end = data.plan, data.period_start, data.period_end
    before = {
        card.indicator.pk: card.summary.progress
        for card in _indicators(plan, start - dt.timedelta(days=1))
    }
    data.moved = [
        (card, before.get(card.indicator.pk))
        for card in data.indicators
        if card.summary.progress != before.get(card.indicator.pk)
    ]
    last = dict(
        Measurement.objects.filter(plan=plan, date__lte=end)
        .values_list("sub_indicator_id")
        .annotate(last=Max("date"))
        .values_list("sub_indicator_id", "last")
    )
    for card in data.indicators:
        for result in card.subs:
            sub = result.sub
            if sub.source != SubIndicator.Source.MEASURED:
                continue
            due = rules.next_due(
                card.indicator.frequency,
                last_value_date=last.get(sub.pk),
                start=sub.baseline_date or dt.date(plan.period_from, 1, 1),
            )
            if due is not None and due <= end:
                data.overdue.append((sub, due))
    in_quarter = Q(created_at__date__range=(start, end))
    stack = (
        StackItem.objects.filter(plan=plan).select_related("area", "flagship").order_by("number")
    )
    data.stack_created = list(stack.filter(in_quarter))
    data.stack_changed = list(
        stack.filter(updated_at__date__range=(start, end)).exclude(in_quarter)
    )
    data.fulfilment_changed = list(
        ActivityFulfilment.objects.filter(plan=plan, updated_at__date__range=(start, end))
        .select_related("activity__project")
        .order_by("activity__project__number", "activity__number")
    )


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
    total = sum((item.finance_mil or Decimal(0) for item in original), Decimal(0))
    status_rows = {
        row["status"]: row
        for row in StackItem.objects.filter(plan=plan)
        .values("status")
        .annotate(n=Count("pk"), money=Sum("finance_mil"))
        .order_by()
    }
    area_rows = (
        StackItem.objects.filter(plan=plan)
        .values("area__name", "area__order")
        .annotate(n=Count("pk"), money=Sum("finance_mil"))
        .order_by("area__order")
    )
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
        projects=_projects(plan, report, start, end),
        indicators=_indicators(plan, end),
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
        stack_total=total,
        stack_by_status=[
            (
                f"{status.value} {status.label}",
                status_rows.get(status.value, {}).get("n", 0),
                status_rows.get(status.value, {}).get("money") or Decimal(0),
            )
            for status in StackStatus
        ],
        stack_by_area=[
            (row["area__name"], row["n"], row["money"] or Decimal(0)) for row in area_rows
        ],
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
