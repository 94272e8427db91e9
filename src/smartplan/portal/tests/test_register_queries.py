"""The register pages' query counts do not grow with the plan (demo size against 4×)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.stack.models import StackItem

PAGES = [
    ("portal:projects", (), {}),
    ("portal:project", ("1",), {}),
    ("portal:stack", (), {}),
    ("portal:stack", (), {"q": "a", "status": "2", "sort": "-finance"}),
    ("portal:stack", (), {"status": "9"}),
    ("portal:stack", (), {"strana": "2"}),
    ("portal:resources", (), {}),
    ("portal:resources", (), {"q": "e"}),
    ("portal:steering_group", (), {}),
    ("portal:reports", (), {}),
]


def _counts(client, plan):
    counts = []
    for name, args, query in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=[plan.slug, *args]), query)
        assert response.status_code in (200, 400), (name, query)
        counts.append(len(queries))
    return counts


def test_register_pages_queries_do_not_grow_with_the_plan(client, db):
    small = synthetic_plans_generate(plans=1, scale=1, seed=41, measurements_per_sub=2)[0].plan
    big = synthetic_plans_generate(plans=1, scale=4, seed=42, measurements_per_sub=4)[0].plan
    assert StackItem.objects.filter(plan=big).count() > 3 * StackItem.objects.filter(
        plan=small
    ).count()
    small_counts, big_counts = _counts(client, small), _counts(client, big)
    assert small_counts == big_counts
    assert max(big_counts) <= 20
