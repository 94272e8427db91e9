"""Current values of a plan's sub-indicators, read in a fixed number of queries.

Entered measurements are combined per the sub-indicator's rule (last value, sum of periods,
average); observation-based ones aggregate their series per year; computed ones evaluate
their formula over the others. Cycles and missing inputs become FormulaErrors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_number
from smartplan.core.published_datasets import published_datasets_count
from smartplan.indicators.formula import Evaluator, FormulaError
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.plans.models import Plan
from smartplan.projects.selectors import PlanMoney, plan_money
from smartplan.stack.models import StackItem
from smartplan.stack.selectors import (
    StackGroup,
    StackTotals,
    stack_by_area,
    stack_by_status,
    stack_plan_total,
    stack_totals,
)


@dataclass(frozen=True)
class CurrentValue:
    value: Decimal | None
    date: dt.date | None
    error: str = ""
    note: str = ""


def _measured(plan: Plan, subs: list[SubIndicator], as_of: dt.date) -> dict[int, CurrentValue]:
    by_rule: dict[str, list[int]] = defaultdict(list)
    for sub in subs:
        by_rule[sub.aggregation].append(sub.pk)
    result: dict[int, CurrentValue] = {}
    if by_rule["last"]:
        latest = Measurement.objects.filter(sub_indicator=OuterRef("pk"), date__lte=as_of).order_by(
            "-date", "-pk"
        )
        latest_rows = (
            SubIndicator.objects.filter(plan=plan, pk__in=by_rule["last"])
            .annotate(
                last_value=Subquery(latest.values("value")[:1]),
                last_date=Subquery(latest.values("date")[:1]),
            )
            .values_list("pk", "last_value", "last_date")
        )
        for pk, value, date in latest_rows:
            result[pk] = CurrentValue(value, date)
    for rule, function in (("sum", Sum), ("average", Avg)):
        if not by_rule[rule]:
            continue
        grouped = (
            Measurement.objects.filter(
                plan=plan, sub_indicator_id__in=by_rule[rule], date__lte=as_of
            )
            .values("sub_indicator_id")
            .annotate(total=function("value"), last=Max("date"), n=Count("pk"))
            .order_by()
        )
        for row in grouped:
            total = Decimal(row["total"]).quantize(Decimal("0.0001"))
            result[row["sub_indicator_id"]] = CurrentValue(total, row["last"])
    return result


def _year_totals(plan: Plan, as_of: dt.date) -> dict[int, dict[int, tuple[Decimal, dt.date]]]:
    """Per series id and year: the total of observations and the last period end."""
    rows = (
        Observation.objects.filter(plan=plan, period_end__lte=as_of)
        .annotate(year=ExtractYear("period_end"))
        .values("series_id", "year")
        .annotate(total=Sum("value"), last=Max("period_end"))
        .order_by()
    )
    totals: dict[int, dict[int, tuple[Decimal, dt.date]]] = defaultdict(dict)
    for row in rows:
        totals[row["series_id"]][row["year"]] = (Decimal(row["total"]), row["last"])
    return totals


def _from_observations(
    sub: SubIndicator, totals: dict[int, dict[int, tuple[Decimal, dt.date]]]
) -> CurrentValue:
    years = totals.get(sub.observation_series_id or 0, {})
    if not years:
        return CurrentValue(None, None, note=_("The observation series has no data yet."))
    latest_year = max(years)
    total, last = years[latest_year]
    if sub.observation_method == SubIndicator.ObservationMethod.TOTAL:
        return CurrentValue(
            total,
            last,
            note=_("Total of the observations in %(year)s.") % {"year": latest_year},
        )
    base_year = sub.observation_baseline_year
    if base_year not in years:
        return CurrentValue(
            None,
            None,
            error=_("The observation series has no data for the baseline year %(year)s.")
            % {"year": base_year},
        )
    base_total = years[base_year][0]
    if base_total == 0:
        return CurrentValue(
            None, None, error=_("The baseline year's total is 0; a reduction cannot be computed.")
        )
    reduction = ((base_total - total) / base_total * 100).quantize(Decimal("0.0001"))
    return CurrentValue(
        reduction,
        last,
        note=_(
            "Reduction = (%(base)s − %(current)s) / %(base)s × 100 (year %(base_year)s against "
            "%(year)s)."
        )
        % {
            "base": format_number(base_total),
            "current": format_number(total),
            "base_year": base_year,
            "year": latest_year,
        },
    )


def _group(groups: list[StackGroup], match: Callable[[StackGroup], bool]) -> StackTotals:
    found = [g for g in groups if match(g)]
    if not found:
        return StackTotals(items=0, finance_mil=Decimal(0))
    return StackTotals(items=found[0].items, finance_mil=found[0].finance_mil)


class _PlanData:
    """Formula inputs of one plan; each kind of input is read once and kept."""

    def __init__(self, plan: Plan, as_of: dt.date, resolve: _Resolver) -> None:
        self.plan = plan
        self.as_of = as_of
        self.resolve = resolve
        self._stack_cache: dict[tuple[int | None, str | None], StackTotals] = {}
        self._money: dict[int, PlanMoney] = {}
        self._series: dict[str, int] | None = None

    def sub_indicator_value(self, code: str) -> tuple[Decimal, dt.date]:
        current = self.resolve.value_of(code)
        if current.error:
            raise FormulaError(
                _("The input %(code)s cannot be computed: %(error)s")
                % {"code": code, "error": current.error}
            )
        if current.value is None or current.date is None:
            raise FormulaError(_("The input %(code)s has no value yet.") % {"code": code})
        return current.value, current.date

    # Stack and money inputs come from the selectors the dashboard and the reports read,
    # so a formula sees the same totals they show; each is read once and kept.
    def stack_count(self, status: int | None, area: str | None) -> Decimal:
        return Decimal(self._stack(status, area).items)

    def stack_finance(self, status: int | None) -> Decimal:
        return self._stack(status, None).finance_mil

    def _stack(self, status: int | None, area: str | None) -> StackTotals:
        key = (status, area)
        if key not in self._stack_cache:
            if status is None and area is None:
                totals = stack_plan_total(plan=self.plan)
            elif area is None:
                totals = _group(stack_by_status(plan=self.plan), lambda g: g.key == status)
            elif status is None:
                totals = _group(stack_by_area(plan=self.plan), lambda g: g.label == area)
            else:
                totals = stack_totals(
                    queryset=StackItem.objects.filter(
                        plan=self.plan, status=status, area__name=area
                    )
                )
            self._stack_cache[key] = totals
        return self._stack_cache[key]

    def spent(self, year: int | None, project: int | None) -> Decimal:
        money_year = self.as_of.year if year is None else year
        if money_year not in self._money:
            self._money[money_year] = plan_money(plan=self.plan, year=money_year)
        money = self._money[money_year]
        if project is None:
            return money.spent_total if year is None else money.spent_in_year
        for row in money.projects:
            if row.number == project:
                return row.spent_total if year is None else row.spent_in_year
        return Decimal(0)

    def observations(self, series: str, year: int | None, aggregate: str) -> Decimal:
        if self._series is None:
            self._series = dict(
                ObservationSeries.objects.filter(plan=self.plan).values_list("code", "pk")
            )
        if series not in self._series:
            raise FormulaError(_("Unknown observation series “%(code)s”.") % {"code": series})
        years = self.resolve.year_totals.get(self._series[series], {})
        if year is not None:
            if year not in years:
                raise FormulaError(
                    _("The series %(code)s has no data for %(year)s.")
                    % {"code": series, "year": year}
                )
            return years[year][0]
        if not years:
            raise FormulaError(_("The series %(code)s has no data yet.") % {"code": series})
        if aggregate == "last":
            return years[max(years)][0]
        return sum((total for total, _last in years.values()), Decimal(0))

    def datasets(self) -> Decimal:
        count = published_datasets_count(self.plan)
        if count is None:
            raise FormulaError(_("This instance publishes no open data."))
        return Decimal(count)


class _Resolver:
    def __init__(self, plan: Plan, subs: list[SubIndicator], as_of: dt.date) -> None:
        self.as_of = as_of
        self.by_code = {sub.code: sub for sub in subs}
        measured = [s for s in subs if s.source == SubIndicator.Source.MEASURED]
        codes = {sub.pk: sub.code for sub in measured}
        self.values: dict[str, CurrentValue] = {
            codes[pk]: current for pk, current in _measured(plan, measured, as_of).items()
        }
        self.year_totals = _year_totals(plan, as_of)
        self.data = _PlanData(plan, as_of, self)
        self._evaluating: list[str] = []

    def value_of(self, code: str) -> CurrentValue:
        if code in self.values:
            return self.values[code]
        sub = self.by_code.get(code)
        if sub is None:
            raise FormulaError(_("Unknown sub-indicator “%(code)s”.") % {"code": code})
        if code in self._evaluating:
            cycle = " → ".join([*self._evaluating[self._evaluating.index(code) :], code])
            raise FormulaError(_("Circular definition: %(cycle)s.") % {"cycle": cycle})
        if sub.source == SubIndicator.Source.OBSERVATIONS:
            current = _from_observations(sub, self.year_totals)
        elif sub.source == SubIndicator.Source.FORMULA:
            self._evaluating.append(code)
            try:
                evaluator = Evaluator(self.data)
                value = evaluator.evaluate(sub.formula).quantize(Decimal("0.0001"))
                date = max(evaluator.dates, default=self.as_of)
                current = CurrentValue(value, date, note=_("Formula: %(f)s") % {"f": sub.formula})
            except FormulaError as exc:
                if self._evaluating[0] != code:
                    raise
                current = CurrentValue(None, None, error=str(exc))
            finally:
                self._evaluating.pop()
        else:
            current = CurrentValue(None, None)
        self.values[code] = current
        return current


def current_values(
    *, plan: Plan, subs: list[SubIndicator], as_of: dt.date
) -> dict[int, CurrentValue]:
    """The value of every given sub-indicator of ``plan`` at ``as_of``, keyed by its pk."""
    resolver = _Resolver(plan, subs, as_of)
    return {sub.pk: resolver.value_of(sub.code) for sub in subs}
