"""A kept statement gives exactly the rows Django's own ``.values()`` gives, for new values
of the same shape too; shapes it cannot describe, or whose values Django rewrites, are
compiled every time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext

from smartplan.core import statement_cache
from smartplan.core.statement_cache import values_rows
from smartplan.indicators.models import Measurement
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    statement_cache.statements_forget()
    yield
    statement_cache.statements_forget()


def _stack(**where: Any) -> QuerySet[Any]:
    return (
        StackItem.objects.filter(plan__slug="liberec-2020", **where)
        .order_by("-finance_mil", "id")
        .values("id", "number", "status", "finance_mil", "area_id", "name")
    )


SHAPES: list[tuple[str, Callable[[Any], QuerySet[Any]], list[Any]]] = [
    ("in list", lambda v: _stack(status__in=v), [[1, 2], [3, 4], [2, 3]]),
    ("greater than", lambda v: _stack(number__gt=v)[:7], [40, 3, 0]),
    ("decimal bound", lambda v: _stack(finance_mil__gte=v), [Decimal("10"), Decimal("0.5")]),
    ("extra where", lambda v: _stack().extra(where=["number > %s"], params=[v]), [50, 10]),
    ("or of two", lambda v: _stack().filter(Q(number=v) | Q(status=v)), [1, 2, 45]),
    ("null or not", lambda v: _stack(flagship__isnull=v), [True, False]),
    ("contains (rewritten)", lambda v: _stack(name__icontains=v), ["energ", "vod"]),
    ("text cast", lambda v: _stack().extra(select={"t": "CAST(number AS TEXT)"}), [None]),
]


@pytest.mark.parametrize(("label", "build", "values"), SHAPES, ids=[s[0] for s in SHAPES])
def test_same_rows_as_django_for_every_value(
    demo_plan: Plan, label: str, build: Callable[[Any], QuerySet[Any]], values: list[Any]
) -> None:
    seen = []
    for value in values:
        expected = list(build(value))
        got = values_rows(build(value))
        assert got == expected, (label, value)
        assert [list(row) for row in got] == [list(row) for row in expected]  # column order
        seen.append(len(got))
    assert any(seen), f"{label}: every variant was empty, the test would prove nothing"


def test_a_kept_statement_is_not_compiled_again(demo_plan: Plan) -> None:
    values_rows(_stack(status__in=[1, 2]))
    [kept] = statement_cache._statements.values()
    assert not isinstance(kept, str)
    with CaptureQueriesContext(connection) as queries:
        rows = values_rows(_stack(status__in=[3, 4]))
    assert rows == list(_stack(status__in=[3, 4]))
    assert queries.captured_queries[0]["sql"].count("IN (") == 1
    assert len(statement_cache._statements) == 1


def test_rewritten_values_are_never_kept(demo_plan: Plan) -> None:
    values_rows(_stack(name__icontains="vod"))
    assert list(statement_cache._statements.values()) == ["compile every time"]


def test_values_django_parses_give_the_same_rows(demo_plan: Plan) -> None:
    """A string for a date column (Django parses "2021-6-30" into a date when the filter is
    made) and a decimal (never a parameter of a kept statement)."""

    def since(value: str) -> QuerySet[Any]:
        return Measurement.objects.filter(date__gte=value).order_by("id").values("id")

    for text in ("2021-6-30", "2000-1-1"):
        assert values_rows(since(text)) == list(since(text))
    statement_cache.statements_forget()
    query = _stack(finance_mil__gt=Decimal("1"))
    assert values_rows(query) == list(query) != []
    assert statement_cache._statements == {}


def test_dates_and_another_plan(demo_plan: Plan) -> None:
    """Dates as values, and the plan in the values: another plan's rows never leak in."""
    other = Plan.objects.create(
        slug="jiny-plan", name="Jiný plán", period_from=2021, period_to=2027
    )

    def measurements(slug: str, since: dt.date) -> QuerySet[Any]:
        return (
            Measurement.objects.filter(plan__slug=slug, date__gte=since)
            .order_by("date", "id")
            .values("id", "date", "value")
        )

    for slug in ("liberec-2020", "jiny-plan", "liberec-2020"):
        for since in (dt.date(2000, 1, 1), dt.date(2021, 6, 30)):
            assert values_rows(measurements(slug, since)) == list(measurements(slug, since))
    assert other.pk


def test_empty_conditions_fall_back(demo_plan: Plan) -> None:
    assert values_rows(_stack(status__in=[])) == []


def test_keyed_rows_for_other_head_and_tail_values(demo_plan: Plan) -> None:
    """The key stands for the query but its first (plan) and last (bound) values."""
    Plan.objects.create(slug="druhy-plan", name="Druhý", period_from=2021, period_to=2027)

    def build(head: list[Any], tail: list[Any]) -> QuerySet[Any]:
        rows = StackItem.objects.filter(plan__slug=head[0], status__in=[1, 2, 3, 4])
        return rows.extra(where=["number > %s"], params=tail).order_by("id").values("id")

    key = ("stack after", "in 1-4")
    for slug, bound in [("liberec-2020", 40), ("druhy-plan", 0), ("liberec-2020", 3)]:
        got = statement_cache.values_rows_keyed(key, build, [slug], [bound])
        assert got == list(build([slug], [bound])), (slug, bound)
    assert not isinstance(statement_cache._keyed[key], str)  # kept, so the hits ran it


def test_a_key_whose_head_is_not_first_is_built_every_time(demo_plan: Plan) -> None:
    bound = {"value": 40}

    def page(head: list[Any], tail: list[Any]) -> QuerySet[Any]:
        return _stack(number__gt=bound["value"])  # the bound comes first (sorted lookups)

    for bound["value"] in (40, 3):
        rows = statement_cache.values_rows_keyed("k", page, ["liberec-2020"], [])
        assert rows == list(page([], []))
    assert statement_cache._keyed["k"] == "compile every time"


def test_a_tail_value_used_twice_is_found_out(demo_plan: Plan) -> None:
    """``id > x AND id >= x``: the first x would look like a value of the key."""

    def page(head: list[Any], tail: list[Any]) -> QuerySet[Any]:
        rows = StackItem.objects.filter(plan__slug=head[0], number__gt=tail[0])
        return rows.filter(number__gte=tail[0]).order_by("id").values("id")

    for bound in (40, 3):
        rows = statement_cache.values_rows_keyed("twice", page, ["liberec-2020"], [bound])
        assert rows == list(page(["liberec-2020"], [bound]))
    assert statement_cache._keyed["twice"] == "compile every time"


def test_a_kept_statement_runs_where_the_router_sends_it_now(
    demo_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database is chosen per call (a replica for a public read, the primary after a
    write), never the one the statement was first built on."""
    from django.db import router

    def build(head: list[Any], tail: list[Any]) -> QuerySet[Any]:
        rows = StackItem.objects.filter(plan__slug=head[0])
        return rows.extra(where=["number > %s"], params=tail).order_by("id").values("id")

    statement_cache.values_rows_keyed("routed", build, ["liberec-2020"], [40])
    asked: list[Any] = []
    real = router.db_for_read

    def recording(model: Any, **hints: Any) -> str:
        asked.append(model)
        return str(real(model, **hints))

    monkeypatch.setattr(router, "db_for_read", recording)
    rows = statement_cache.values_rows_keyed("routed", build, ["liberec-2020"], [50])
    assert asked == [StackItem]  # asked by the kept statement itself, before anything else
    assert rows == list(build(["liberec-2020"], [50]))
