"""The portal's pages make as many queries for a plan ten times the demo's size as for the
demo's size (no query per indicator, sub-indicator, value or change)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.indicators.models import Indicator, Measurement
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan

pytestmark = pytest.mark.django_db

# Generous upper bounds, so a change that adds a query or two does not break them; the
# growth test below is the real guard.
MAX_QUERIES = 16


def _pages(plan: Plan) -> list[str]:
    number = Indicator.objects.filter(plan=plan).order_by("number").values_list(
        "number", flat=True
    )[0]
    return [
        "/",
        f"/{plan.slug}/",
        f"/{plan.slug}/indikatory/",
        f"/{plan.slug}/indikatory/{number}/",
    ]


def _counts(plan: Plan) -> list[int]:
    counts = []
    client = Client()
    for url in _pages(plan):
        cache.clear()  # render the page, not the copy kept under its ETag
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    return counts


def test_page_queries_do_not_grow_with_the_plan() -> None:
    small = synthetic_plans_generate(plans=1, scale=1, seed=41, measurements_per_sub=2)[0].plan
    big = synthetic_plans_generate(plans=1, scale=10, seed=42, measurements_per_sub=4)[0].plan
    assert Indicator.objects.filter(plan=big).count() >= 10 * Indicator.objects.filter(
        plan=small
    ).count()
    assert Measurement.objects.filter(plan=big).count() > 10 * Measurement.objects.filter(
        plan=small
    ).count()
    for plan in (small, big):
        plan_states_recompute(plan=plan)
    small_counts, big_counts = _counts(small), _counts(big)
    print("queries per page (home, overview, indicators, indicator):", small_counts, big_counts)
    assert small_counts == big_counts
    assert max(big_counts) <= MAX_QUERIES


def test_a_kept_page_costs_one_query(demo_plan: Plan) -> None:
    client = Client()
    for url in _pages(demo_plan):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 1, url
