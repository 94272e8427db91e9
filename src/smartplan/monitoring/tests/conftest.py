import datetime as dt

import pytest

from smartplan.indicators.models import Indicator, SubIndicator
from smartplan.monitoring.tests.crash_processes import (  # noqa: F401 - fixtures of kill tests
    demo_database,
    fresh_copy,
    migrated_database,
)


@pytest.fixture
def make_sub(demo_plan):
    """A new sub-indicator under indicator 8 of the demo plan."""

    def make(code, **fields):
        indicator = Indicator.objects.get(plan=demo_plan, number=8)
        defaults = {
            "name": f"Pokusný {code}",
            "kind": SubIndicator.Kind.NUMBER,
            "baseline_value": 0,
            "baseline_date": dt.date(2020, 1, 1),
            "target_value": 10,
            "target_date": dt.date(2022, 12, 31),
        }
        defaults.update(fields)
        return SubIndicator.objects.create(
            plan=demo_plan, indicator=indicator, code=code, **defaults
        )

    return make
