"""Roll-ups of sub-indicator assessments to indicators, projects, goals, areas and the plan.

Pure computation over loaded objects; services store the result as RollUpState rows so
pages read a handful of rows instead of every sub-indicator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from smartplan.indicators.models import Indicator, SubIndicator
from smartplan.monitoring import rules


@dataclass(frozen=True)
class RollUpRow:
    level: str
    key: str
    order: int
    label: str
    object_id: int | None
    summary: rules.RollUp


def _sort_key(key: str) -> tuple[int, ...] | tuple[str]:
    try:
        return tuple(int(part) for part in key.split("."))
    except ValueError:
        return (key,)


def build_rollups(
    *,
    plan_label: str,
    assessed: Iterable[tuple[SubIndicator, rules.Assessment]],
    strategic_goals: dict[int, list[tuple[str, str]]],
    thresholds: rules.Thresholds,
) -> list[RollUpRow]:
    """All roll-up rows of a plan. ``strategic_goals`` maps an indicator id to (code, label)."""
    members: dict[int, list[tuple[SubIndicator, rules.Assessment]]] = defaultdict(list)
    for sub, assessment in assessed:
        members[sub.indicator_id].append((sub, assessment))

    entries: list[tuple[Indicator, rules.RollUp]] = []
    for pairs in members.values():
        indicator = pairs[0][0].indicator
        summary = rules.roll_up(((a, s.weight) for s, a in pairs), thresholds)
        entries.append((indicator, summary))
    entries.sort(key=lambda entry: entry[0].number)

    rows = [
        RollUpRow("indicator", str(i.number), i.number, str(i), i.pk, summary)
        for i, summary in entries
    ]

    def group(
        level: str, keys_of: Callable[[Indicator], list[tuple[str, str, int | None]]]
    ) -> None:
        buckets: dict[str, tuple[str, int | None, list[tuple[rules.RollUp, Decimal]]]] = {}
        for indicator, summary in entries:
            for key, label, object_id in keys_of(indicator):
                buckets.setdefault(key, (label, object_id, []))[2].append(
                    (summary, indicator.weight)
                )
        ordered = sorted(buckets.items(), key=lambda item: _sort_key(item[0]))
        for order, (key, (label, object_id, grouped)) in enumerate(ordered):
            rows.append(
                RollUpRow(level, key, order, label, object_id, rules.roll_up(grouped, thresholds))
            )

    def project_of(indicator: Indicator) -> list[tuple[str, str, int | None]]:
        project = indicator.project
        if project is None:
            return []
        return [(str(project.number), str(project), project.pk)]

    def area_of(indicator: Indicator) -> list[tuple[str, str, int | None]]:
        project = indicator.project
        if project is None:
            return []
        return [(str(project.area.order), project.area.name, project.area_id)]

    def specific_goal_of(indicator: Indicator) -> list[tuple[str, str, int | None]]:
        goal = indicator.specific_goal
        return [] if goal is None else [(goal.code, str(goal), goal.pk)]

    def strategic_goal_of(indicator: Indicator) -> list[tuple[str, str, int | None]]:
        return [(code, label, None) for code, label in strategic_goals.get(indicator.pk, [])]

    group("project", project_of)
    group("specific_goal", specific_goal_of)
    group("strategic_goal", strategic_goal_of)
    group("area", area_of)
    plan_summary = rules.roll_up(((s, i.weight) for i, s in entries), thresholds)
    rows.append(RollUpRow("plan", "plan", 0, plan_label, None, plan_summary))
    return rows
