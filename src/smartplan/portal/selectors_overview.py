"""Reads of a plan's public overview: its frame, headline progress, money and recent changes.

Every figure comes from the selectors the dashboard and the reports use: the stored
roll-ups of monitoring (``monitoring.selectors.plan_rollups``, made current first) and the
money of ``projects.selectors.plan_money``. Nothing is added up here. A fixed number of
queries whatever the plan's size (see tests/test_queries.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Prefetch

from smartplan.core.models import ChangeSet
from smartplan.monitoring import rules, selectors
from smartplan.monitoring.current_states import plan_states_current
from smartplan.monitoring.models import RollUpState, Status
from smartplan.plans.models import Area, Plan, SpecificGoal, StrategicGoal
from smartplan.portal import paging
from smartplan.projects.selectors import PlanMoney, ProjectMoney, plan_money

# Registers the public does not read (roles, report drafts, people's records): a change
# set that touched only these is not listed, and their names are never shown.
NOT_PUBLIC_APPS = frozenset({"access", "reports", "auth", "core"})
NOT_PUBLIC_MODELS = frozenset({"organisations.person"})
RECENT_CHANGES = 8


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class RecentChange:
    """What changed in one change set, without who changed it: when, how, which registers."""

    when: dt.datetime
    channel: str
    registers: list[str]


@dataclass(frozen=True)
class PlanOverview:
    plan: Plan
    # with their specific goals (prefetched) and their roll-ups (None: nothing measured)
    strategic_goals: list[tuple[StrategicGoal, RollUpState | None]]
    areas: list[tuple[Area, RollUpState | None]]
    plan_rollup: RollUpState | None
    status_counts: list[StatusCount]  # how many indicators are in each status
    indicator_count: int
    money: PlanMoney
    year: int
    recent: list[RecentChange]

    # The money table lists the projects of the project list's first page one by one (all
    # of a plan of usual size) and leaves the rest to that list's next pages, which show the
    # same figures; the totals count every project.
    @property
    def money_rows(self) -> list[ProjectMoney]:
        return self.money.projects[: paging.PAGE_SIZE]

    @property
    def more_projects(self) -> int:
        return max(0, len(self.money.projects) - paging.PAGE_SIZE)


def status_counts(rollup: RollUpState | None) -> list[StatusCount]:
    """The statuses of the plan's indicators as the plan's roll-up counted them, in the
    rules' order of severity (achieved first, no data last)."""
    counts = rollup.counts if rollup is not None else {}
    return [
        StatusCount(status, str(Status(status).label), int(counts.get(status, 0)))
        for status in sorted(rules.SEVERITY, key=rules.SEVERITY.__getitem__)
    ]


def _register_name(label: str) -> str | None:
    app_label = label.partition(".")[0]
    if app_label in NOT_PUBLIC_APPS or label in NOT_PUBLIC_MODELS:
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return str(model._meta.verbose_name_plural)


def recent_changes(*, plan: Plan, limit: int = RECENT_CHANGES) -> list[RecentChange]:
    """The plan's latest change sets (one query), public registers only, without names of
    the people who made them and without their labels (which may name files)."""
    found: list[RecentChange] = []
    for change_set in ChangeSet.objects.filter(plan=plan).only(
        "created_at", "channel", "registers"
    )[: limit * 3]:
        names = sorted({n for n in map(_register_name, change_set.registers or []) if n})
        if names:
            found.append(
                RecentChange(
                    change_set.created_at,
                    str(ChangeSet.Channel(change_set.channel).label),
                    names,
                )
            )
        if len(found) == limit:
            break
    return found


def plan_overview(*, plan: Plan, today: dt.date, year: int) -> PlanOverview:
    """Everything the overview page shows, in a fixed number of queries."""
    plan_states_current(plan=plan)
    rollups = selectors.plan_rollups(plan=plan, levels=("plan", "strategic_goal", "area"))
    plan_rollup = next(iter(rollups["plan"]), None)
    counts = status_counts(plan_rollup)
    # keyed as monitoring.rollup keys them: a goal by its code, an area by its order
    by_goal = {row.key: row for row in rollups["strategic_goal"]}
    by_area = {row.key: row for row in rollups["area"]}
    goals = (
        StrategicGoal.objects.filter(plan=plan)
        .order_by("code")
        .prefetch_related(
            Prefetch("specific_goals", queryset=SpecificGoal.objects.order_by("code"))
        )
    )
    return PlanOverview(
        plan=plan,
        strategic_goals=[(goal, by_goal.get(str(goal.code))) for goal in goals],
        areas=[
            (area, by_area.get(str(area.order)))
            for area in Area.objects.filter(plan=plan).order_by("order", "name")
        ],
        plan_rollup=plan_rollup,
        status_counts=counts,
        indicator_count=sum(c.count for c in counts),
        money=plan_money(plan=plan, year=year),
        year=year,
        recent=recent_changes(plan=plan),
    )
