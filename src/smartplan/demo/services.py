"""Writes of the demo: the Liberec plan and the demo account."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.plans.models import Plan
from smartplan.reports.services import report_get_or_create

DEMO_FIXTURE = Path(__file__).resolve().parent / "data" / "liberec-2020"
DEMO_SLUG = "liberec-2020"
DEMO_USERNAME = "demo"
# A published, deliberately simple password: the demo runs on 127.0.0.1 only.
DEMO_PASSWORD = "chytrejsi-kraj"


@dataclass(frozen=True)
class DemoLoadResult:
    plan: Plan
    plan_created: bool
    account_created: bool


@transaction.atomic
def demo_load(*, replace: bool = False) -> DemoLoadResult:
    """Load the 2020 Liberec plan, its annual report for 2020 (the seed) and the demo
    account; a second run changes nothing."""
    plan, created = plan_fixture_load(folder=DEMO_FIXTURE, replace=replace)
    report_get_or_create(plan=plan, kind="annual", year=2020)
    account_created = demo_account_ensure()
    return DemoLoadResult(plan=plan, plan_created=created, account_created=account_created)


def demo_account_ensure() -> bool:
    """Create the demo coordinator account if it is missing; returns whether it was created."""
    user_model = get_user_model()
    if user_model.objects.filter(username=DEMO_USERNAME).exists():
        return False
    user: AbstractUser = user_model.objects.create_superuser(
        username=DEMO_USERNAME,
        email="demo@example.invalid",
        password=DEMO_PASSWORD,
        first_name="Koordinátor",
        last_name="Demo",
    )
    return user.pk is not None
