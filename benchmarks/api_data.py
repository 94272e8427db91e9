"""Data for ``benchmarks/api_throughput.py``: observations, values and an API account.

Run by api_throughput.py in a subprocess, after ``smartplan migrate`` and ``smartplan
load-demo`` or ``smartplan generate-synthetic`` built the plan, with SMARTPLAN_DATA_DIR set
to the data set's folder. Adds to the plan (once; a second run only reads):

- observation series of daily meter readings, ``--observations`` values in all (neither
  the demo nor the synthetic plans have any), written by the observations service;
- measured values to a plan that has none (the demo), twelve per sub-indicator as the
  synthetic plans have, through the measurement action;
- the account ``bench-coordinator``, the plan's coordinator, with an API token.

Prints one JSON line: the plan's slug and id, the token and the row counts.

    SMARTPLAN_DATA_DIR=... python benchmarks/api_data.py --plan SLUG --observations 60000
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
from decimal import Decimal
from typing import Any

DAYS_PER_SERIES = 600
USERNAME = "bench-coordinator"
CHUNK = 50_000


def _observations_add(plan: Any, total: int) -> None:
    from smartplan.observations.models import Observation, ObservationSeries
    from smartplan.observations.services import ObservationRow, observations_store

    if Observation.objects.filter(plan=plan).exists():
        return
    series_count = -(-total // DAYS_PER_SERIES)
    codes = [f"mereni-{n:05d}" for n in range(1, series_count + 1)]
    for code in codes:
        ObservationSeries.objects.create(
            plan=plan,
            code=code,
            name=f"Spotřeba elektřiny, odběrné místo {code[-5:]}",
            unit="kWh",
            subject=f"Budova č. {code[-5:]}",
        )
    start = dt.date(2021, 1, 1)
    rows: list[ObservationRow] = []
    for n in range(total):
        code = codes[n // DAYS_PER_SERIES]
        day = start + dt.timedelta(days=n % DAYS_PER_SERIES)
        value = Decimal(100 + (n * 37) % 900) + Decimal("0.25")
        rows.append(ObservationRow(n + 1, code, day, day, value))
        if len(rows) == CHUNK or n == total - 1:
            observations_store(plan=plan, rows=rows, source="benchmark")
            rows = []


def _measurements_add(plan: Any) -> None:
    from smartplan.demo.synthetic import synthetic_measurements_add
    from smartplan.indicators.models import Measurement, SubIndicator

    if Measurement.objects.filter(plan=plan).exists():
        return
    measured = SubIndicator.objects.filter(plan=plan).count()
    synthetic_measurements_add(plan=plan, total=12 * measured, seed=7)


def _account_token(plan: Any) -> str:
    """A staff account that may read the plan as its coordinator, and its DRF token.

    With the roles of issue 10 (the access app) the account gets the plan's coordinator
    role; before them reading the API needs a login and the editing interface the model
    permissions, so it gets every view permission. api_throughput.py refuses to measure
    when a first page comes back empty, so a missing grant cannot pass unnoticed.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from rest_framework.authtoken.models import Token

    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "email": "bench@example.invalid"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    try:
        access = importlib.import_module("smartplan.access.services")
    except ImportError:
        user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    else:
        access.plan_role_grant(plan=plan, user=user, role="coordinator")
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", help="slug of the plan; the only plan when omitted")
    parser.add_argument("--observations", type=int, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()
    from django.db import transaction

    from smartplan.indicators.models import Measurement
    from smartplan.observations.models import Observation
    from smartplan.plans.models import Plan
    from smartplan.stack.models import StackItem

    plan = Plan.objects.get(slug=args.plan) if args.plan else Plan.objects.get()
    # One transaction: every write marks the plan's monitoring states stale and recomputes
    # them after its commit, which for a 100× plan takes seconds.
    with transaction.atomic():
        _observations_add(plan, args.observations)
        _measurements_add(plan)
    token = _account_token(plan)
    counts = {
        "observations": Observation.objects.filter(plan=plan).count(),
        "measurements": Measurement.objects.filter(plan=plan).count(),
        "stack items": StackItem.objects.filter(plan=plan).count(),
    }
    print(json.dumps({"slug": plan.slug, "id": plan.pk, "token": token, "counts": counts}))


if __name__ == "__main__":
    main()
