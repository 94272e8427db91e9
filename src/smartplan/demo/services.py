"""Writes of the demo: the Liberec plan and the demo account."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from smartplan.access.services import plan_role_grant
from smartplan.demo.plan_loader import plan_fixture_load, plan_publish
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.indicators.models import SubIndicator
from smartplan.plans.models import Plan
from smartplan.projects.models import FlagshipProject
from smartplan.reports.services import report_get_or_create

DEMO_FIXTURE = Path(__file__).resolve().parent / "data" / "liberec-2020"
DEMO_SLUG = "liberec-2020"
DEMO_USERNAME = "demo"
# A published, deliberately simple password: the demo runs on 127.0.0.1 only.
DEMO_PASSWORD = "chytrejsi-kraj"
# Beside the Liberec plan (no measured values): a fictional plan with simulated values, made
# by the synthetic generator (seed 1, its first plan), so the portal shows charts and states.
FICTIONAL_SEED = 1
FICTIONAL_SLUG = f"synteticky-{FICTIONAL_SEED}-1"
FICTIONAL_PREFIX = "Fiktivní plán se simulovanými daty: "
FICTIONAL_DESCRIPTION = (
    "Smyšlený plán, jehož hodnoty jsou náhodně vygenerované (simulované), jen pro ukázku "
    "portálu a sledování plnění. Nepopisuje žádné skutečné území, organizace ani projekty."
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo login: one per role, to try what each role may do."""

    role: Promise  # how the role is called, for the printed list
    username: str
    path: str  # where the role's work starts, below the instance's address


@dataclass(frozen=True)
class DemoLoadResult:
    plan: Plan
    plan_created: bool
    account_created: bool
    accounts: tuple[DemoAccount, ...] = ()


@transaction.atomic
def demo_load(*, replace: bool = False) -> DemoLoadResult:
    """Load the 2020 Liberec plan, its annual report for 2020 (the seed) and the demo
    account; a second run changes nothing."""
    plan, created = plan_fixture_load(folder=DEMO_FIXTURE, replace=replace)
    plan_publish(plan)
    report_get_or_create(plan=plan, kind="annual", year=2020)
    account_created = demo_account_ensure()
    accounts = demo_role_accounts_ensure(plan=plan)
    return DemoLoadResult(
        plan=plan, plan_created=created, account_created=account_created, accounts=accounts
    )


def demo_fictional_plan_ensure() -> Plan:
    """The demo's fictional plan, published and labelled as fictional in its name and
    description; made once (about a second), a second run changes nothing."""
    plan = Plan.objects.filter(slug=FICTIONAL_SLUG).first()
    if plan is None:
        (summary,) = synthetic_plans_generate(plans=1, scale=1, seed=FICTIONAL_SEED)
        plan = summary.plan
    if not plan.name.startswith(FICTIONAL_PREFIX) or plan.description != FICTIONAL_DESCRIPTION:
        plan.name = (FICTIONAL_PREFIX + plan.name)[: Plan._meta.get_field("name").max_length]
        plan.description = FICTIONAL_DESCRIPTION
        plan.save(update_fields=["name", "description", "updated_at"])
    plan_publish(plan)
    return plan


def _demo_user(username: str, first_name: str) -> AbstractUser:
    user_model = get_user_model()
    user: AbstractUser | None = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(
            username=username,
            email=f"{username}@example.invalid",
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name="Demo",
        )
    return user


def demo_role_accounts_ensure(*, plan: Plan) -> tuple[DemoAccount, ...]:
    """A login per role in the demo plan (the administrator is ``demo``): a coordinator, the
    guarantor of the first project with indicators, a data provider of its first three
    sub-indicators, a steering-group member. Running it again changes nothing."""
    project = (
        FlagshipProject.objects.filter(plan=plan)
        .annotate(indicator_count=Count("indicators"))
        .filter(indicator_count__gt=0)
        .order_by("number")
        .first()
    )
    subs = list(
        SubIndicator.objects.filter(plan=plan, indicator__project=project).order_by("code")[:3]
    )
    plan_role_grant(
        plan=plan, user=_demo_user("demo-koordinator", "Koordinátor"), role="coordinator"
    )
    plan_role_grant(
        plan=plan,
        user=_demo_user("demo-garant", "Garant"),
        role="guarantor",
        projects=[project] if project else [],
    )
    plan_role_grant(
        plan=plan, user=_demo_user("demo-poskytovatel", "Poskytovatel"), role="provider",
        sub_indicators=subs,
    )  # fmt: skip
    plan_role_grant(plan=plan, user=_demo_user("demo-ridici-skupina", "Člen"), role="steering")
    project_path = (
        reverse("admin:projects_flagshipproject_change", args=[project.pk])
        if project
        else reverse("admin:index")
    )
    return (
        DemoAccount(_("administrator"), DEMO_USERNAME, reverse("admin:index")),
        DemoAccount(_("coordinator"), "demo-koordinator", reverse("admin:index")),
        DemoAccount(_("guarantor"), "demo-garant", project_path),
        DemoAccount(_("data provider"), "demo-poskytovatel", reverse("monitoring:mine")),
        DemoAccount(
            _("steering group member"),
            "demo-ridici-skupina",
            reverse("monitoring:dashboard", args=[plan.slug]),
        ),
    )


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
