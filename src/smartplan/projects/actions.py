"""Yearly fulfilment of an activity: check every rule, then write (atomic).

Rules (here and nowhere else): the money spent is not negative; the year lies within the
plan's period; an activity has one fulfilment per year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.problems import ChangeRefusedError, Problem
from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, ActivityFulfilment


@dataclass(frozen=True)
class FulfilmentEntry:
    """What an activity achieved in ``year``; ``fulfilment_id`` changes a stored one."""

    activity: Activity
    year: int
    spent: Decimal = Decimal(0)
    outputs: str = ""
    fulfilment_id: int | None = None


class SaveFulfilment:
    """Check, then store, one yearly fulfilment."""

    def __init__(self, entry: FulfilmentEntry, *, plan: Plan | None = None) -> None:
        self.entry = entry
        self.plan = plan  # known by a caller that checks many rows of one plan

    def check(self) -> list[Problem]:
        """Every problem, each on its field (``spent``, ``year``)."""
        entry = self.entry
        problems = []
        if entry.spent < 0:
            problems.append(
                Problem(
                    None,
                    None,
                    entry.spent,
                    _("The money spent cannot be negative."),
                    field="spent",
                )
            )
        plan = self.plan or _plan_of(entry.activity)
        if plan is not None and not plan.period_from <= entry.year <= plan.period_to:
            problems.append(
                Problem(
                    None,
                    None,
                    entry.year,
                    _("The year lies outside the plan's period %(start)s–%(end)s.")
                    % {"start": plan.period_from, "end": plan.period_to},
                    field="year",
                )
            )
        others = ActivityFulfilment.objects.filter(activity_id=entry.activity.pk, year=entry.year)
        if entry.fulfilment_id is not None:
            others = others.exclude(pk=entry.fulfilment_id)
        if entry.activity.pk is not None and others.exists():
            problems.append(
                Problem(
                    None,
                    None,
                    entry.year,
                    _("The activity already has a fulfilment for %(year)s.") % {"year": entry.year},
                    field="year",
                )
            )
        return problems

    def execute(self) -> ActivityFulfilment:
        """Store the fulfilment; raises ``ChangeRefusedError`` and writes nothing on a problem."""
        entry = self.entry
        with transaction.atomic():
            problems = self.check()
            if problems:
                raise ChangeRefusedError(problems)
            if entry.fulfilment_id is None:
                fulfilment = ActivityFulfilment()
            else:
                fulfilment = ActivityFulfilment.objects.select_for_update().get(
                    pk=entry.fulfilment_id
                )
            fulfilment.activity = entry.activity
            fulfilment.year, fulfilment.spent, fulfilment.outputs = (
                entry.year,
                entry.spent,
                entry.outputs,
            )
            fulfilment.save()
        return fulfilment


def _plan_of(activity: Activity) -> Plan | None:
    """The activity's plan; none yet for an activity created in the same form."""
    if activity.plan_id:
        return activity.plan
    project = activity.project if activity.project_id else None
    return project.plan if project is not None and project.plan_id else None


def fulfilment_save(*, entry: FulfilmentEntry) -> ActivityFulfilment:
    """Store a yearly fulfilment (see ``SaveFulfilment``)."""
    return SaveFulfilment(entry).execute()
