"""Reads of the public indicator pages: indicators with their sub-indicators, stored states
and measured values, in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.monitoring import selectors
from smartplan.monitoring.current_states import plan_states_current
from smartplan.monitoring.models import RollUpState, SubIndicatorState
from smartplan.organisations.models import Person
from smartplan.plans.models import Plan, StrategicGoal
from smartplan.portal.charts import HistoryChart, sub_indicator_chart


def sub_indicator_histories(*, subs: Iterable[SubIndicator]) -> dict[int, list[Measurement]]:
    """The measured values of each of ``subs`` by date (one query): what the charts draw."""
    histories: dict[int, list[Measurement]] = defaultdict(list)
    ids = [sub.pk for sub in subs]
    if not ids:
        return {}
    for measurement in (
        Measurement.objects.filter(sub_indicator_id__in=ids)
        .only("sub_indicator_id", "date", "value", "status")
        .order_by("sub_indicator_id", "date")
    ):
        histories[measurement.sub_indicator_id].append(measurement)
    return dict(histories)


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator of the public list with its stored roll-up (None: not computed yet)."""

    indicator: Indicator
    rollup: RollUpState | None


def indicator_list(*, plan: Plan) -> QuerySet[Indicator]:
    """The indicators of ``plan`` by number with their project, not read yet (to be paged);
    makes the stored monitoring states current first (one query when they are)."""
    plan_states_current(plan=plan)
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("project", "specific_goal")
        .order_by("number")
    )


def indicator_rows(*, plan: Plan, indicators: Iterable[Indicator]) -> list[IndicatorRow]:
    """``indicators`` (one page of :func:`indicator_list`) with their stored roll-ups: one
    query for the roll-ups of these indicators only."""
    shown = list(indicators)
    rollups = {
        row.key: row
        for row in selectors.rollup_rows(plan=plan, level="indicator").filter(
            key__in=[str(indicator.number) for indicator in shown]
        )
    }
    return [IndicatorRow(indicator, rollups.get(str(indicator.number))) for indicator in shown]


@dataclass(frozen=True)
class SubIndicatorDetail:
    sub: SubIndicator
    state: SubIndicatorState | None  # as monitoring computed it, with its explanation
    chart: HistoryChart


@dataclass(frozen=True)
class IndicatorDetail:
    indicator: Indicator
    rollup: RollUpState | None
    strategic_goals: list[StrategicGoal]
    subs: list[SubIndicatorDetail]
    contact: Person | None  # the responsible person, only when a public contact


def indicator_detail(*, plan: Plan, number: int) -> IndicatorDetail | None:
    """One indicator of ``plan`` with its sub-indicators, their stored states, values and
    charts; None when the plan has no such indicator. A fixed number of queries."""
    indicator = (
        Indicator.objects.filter(plan=plan, number=number)
        .select_related(
            "project",
            "specific_goal",
            "responsible_organisation",
            "responsible_department",
            "responsible_person",
        )
        .first()
    )
    if indicator is None:
        return None
    plan_states_current(plan=plan)
    subs = list(
        SubIndicator.objects.filter(indicator=indicator).select_related("state").order_by("code")
    )
    histories = sub_indicator_histories(subs=subs)
    rollup = selectors.rollup_rows(plan=plan, level="indicator").filter(key=str(number)).first()
    person = indicator.responsible_person
    return IndicatorDetail(
        indicator=indicator,
        rollup=rollup,
        strategic_goals=list(indicator.strategic_goals.order_by("code")),
        subs=[
            SubIndicatorDetail(
                sub,
                getattr(sub, "state", None),
                sub_indicator_chart(sub, histories.get(sub.pk, [])),
            )
            for sub in subs
        ],
        contact=person if person is not None and person.publish_contact else None,
    )
