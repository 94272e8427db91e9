"""A dataset's Last-Modified is read through an index: at 100× the demo (a million measured
values) reading every value of the plan held the download's first byte back for 1,3 s."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.opendata.datasets import dataset_modified

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan is asserted")
def test_the_newest_measurement_is_one_index_lookup(demo_plan):
    with CaptureQueriesContext(connection) as captured:
        dataset_modified(demo_plan, "mereni")
    # The statement as run (SQLite's captured SQL has its values in place).
    [newest] = [q["sql"] for q in captured if "indicators_measurement" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {newest}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX measurement_plan_updated" in plan, (newest, plan)
