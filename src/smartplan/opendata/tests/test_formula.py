"""The formula function datasets(): the number of open datasets the plan publishes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from smartplan.core import published_datasets
from smartplan.indicators.formula import parse
from smartplan.indicators.models import Indicator, SubIndicator
from smartplan.monitoring.values import current_values
from smartplan.opendata.datasets import datasets
from smartplan.plans.models import Plan


def _sub(plan: Plan, formula: str) -> SubIndicator:
    return SubIndicator.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(plan=plan, number=8),
        code="8.9",
        name="Otevřené datové sady (vzorcem)",
        kind=SubIndicator.Kind.NUMBER,
        source=SubIndicator.Source.FORMULA,
        formula=formula,
        target_value=5,
        target_date=dt.date(2022, 12, 31),
    )


def _value(plan: Plan, sub: SubIndicator) -> Decimal | None:
    return current_values(plan=plan, subs=[sub], as_of=dt.date(2022, 6, 30))[sub.pk].value


def test_datasets_takes_no_arguments() -> None:
    parse("datasets()")
    parse("datasets() - 4")
    with pytest.raises(Exception, match="datasets"):
        parse("datasets(1)")


def test_datasets_counts_what_the_plan_publishes(demo_plan: Plan) -> None:
    sub = _sub(demo_plan, "datasets()")
    assert _value(demo_plan, sub) == Decimal(len(datasets()))
    demo_plan.published = False
    demo_plan.save()
    assert _value(demo_plan, sub) == Decimal(0)


def test_without_the_open_data_app_the_formula_says_why(
    demo_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(published_datasets, "_counter", None)
    current = current_values(
        plan=demo_plan, subs=[_sub(demo_plan, "datasets()")], as_of=dt.date(2022, 6, 30)
    )
    (value,) = current.values()
    assert value.value is None
    assert value.error is not None
    assert "otevřená data" in str(value.error)
