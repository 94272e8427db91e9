"""Yearly fulfilment of an activity: check every rule, then write (atomic).

Rules (here and nowhere else): the money spent is not negative; the year lies within the
plan's period; an activity has one fulfilment per year (also when two are added at once);
an edit based on an older version of the fulfilment (``based_on_version``) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_money
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
    based_on_version: int | None = None  # the version the edit started from


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
            problems.append(self._duplicate())
        if entry.fulfilment_id is not None and entry.based_on_version is not None:
            current = ActivityFulfilment.objects.filter(pk=entry.fulfilment_id).first()
            if current is not None and current.version != entry.based_on_version:
                problems.append(self._stale(current))
        return problems

    def _duplicate(self) -> Problem:
        year = self.entry.year
        return Problem(
            None,
            None,
            year,
            _("The activity already has a fulfilment for %(year)s.") % {"year": year},
            field="year",
        )

    def _stale(self, current: ActivityFulfilment) -> Problem:
        return Problem(
            None,
            None,
            None,
            _(
                "The fulfilment %(year)s was changed by someone else after you opened it; it "
                "now says: spent %(spent)s, outputs „%(outputs)s“. Nothing was saved; reload "
                "and make your change again."
            )
            % {
                "year": current.year,
                "spent": format_money(current.spent),
                "outputs": current.outputs or "–",
            },
            field="based_on_version",
        )

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
                stale = entry.based_on_version not in (None, fulfilment.version)
                if stale:
                    raise ChangeRefusedError([self._stale(fulfilment)])
            fulfilment.activity = entry.activity
            fulfilment.year, fulfilment.spent, fulfilment.outputs = (
                entry.year,
                entry.spent,
                entry.outputs,
            )
            try:
                with transaction.atomic():  # a savepoint: the refusal below leaves it usable
                    fulfilment.save()
            except IntegrityError as error:
                # Another writer added this activity's fulfilment for the year after the check.
                if "fulfilment_year_unique" not in str(error) and ".year" not in str(error):
                    raise
                raise ChangeRefusedError([self._duplicate()]) from error
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
