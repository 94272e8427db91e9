"""The permission matrix: every actor × action × kind of object, each allow and each deny.

The expectations are written out by hand in ``expectations.py``; this test holds both the
permission layer (``user.has_perm(perm, obj)``) and the editing interface (change, add and
delete pages, the plan's workbook export and import, report approval and downloads) to
them. The API half reuses the same table.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from smartplan.access.tests.expectations import ACTORS, LETTERS, MODEL_LEVEL_ADD, expected
from smartplan.access.tests.world import World, fresh, world_build

pytestmark = pytest.mark.django_db

# Admin classes that never add or change, whoever asks (stored states, the reminders' log).
READ_ONLY_ADMINS = {"monitoring.subindicatorstate", "monitoring.reminderlog"}
DENIED = {302, 403, 404}


@pytest.fixture
def world(demo_plan: Any, other_plan: Any) -> World:
    return world_build(demo_plan, other_plan)


def _label(target: str) -> str:
    return target.split("@")[0]


def _perm(target: str, letter: str) -> str | None:
    """The permission a letter asks of a target; None where the action does not apply."""
    label = _label(target)
    app_label, model_name = label.split(".")
    if letter in "vacd":
        return f"{app_label}.{LETTERS[letter]}_{model_name}"
    custom = {
        ("plans.plan", "i"): "plans.import_plan",
        ("plans.plan", "e"): "plans.export_plan",
        ("reports.report", "p"): "reports.approve_report",
    }
    return custom.get((label, letter))


@pytest.mark.parametrize("actor", ACTORS)
def test_has_perm_matches_the_matrix(world: World, actor: str) -> None:
    user = fresh(world.users[actor])
    wrong = []
    for target, obj in world.targets.items():
        allowed = expected(actor, target)
        for letter in "vacdiep":
            perm = _perm(target, letter)
            if perm is None:
                continue
            if bool(user.has_perm(perm, obj)) != (letter in allowed):
                wrong.append(f"{actor} {LETTERS[letter]} {target}: expected {letter in allowed}")
    assert wrong == []


def _client(world: World, actor: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    user = world.users[actor]
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return client


def _interface(actor: str, target: str) -> str:
    """What the editing interface offers: the matrix, for staff only (anonymous people are
    sent to log in), without what a read-only register never offers."""
    if actor == "public":
        return ""
    allowed = expected(actor, target)
    if _label(target) in READ_ONLY_ADMINS:
        allowed = allowed.replace("a", "").replace("c", "")
    return allowed


def _admin_url(target: str, page: str, *args: Any) -> str:
    app_label, model_name = _label(target).split(".")
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


def _registered(target: str) -> bool:
    return any(
        f"{model._meta.app_label}.{model._meta.model_name}" == _label(target)
        for model in admin.site._registry
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_the_editing_interface_matches_the_matrix(world: World, actor: str) -> None:
    client = _client(world, actor)
    wrong = []
    for target, obj in world.targets.items():
        if not _registered(target):
            continue
        allowed = _interface(actor, target)
        response = client.get(_admin_url(target, "change", obj.pk))
        if "v" in allowed or "c" in allowed:
            if response.status_code != 200:
                wrong.append(f"{actor} view {target}: {response.status_code}")
                continue
            for letter, flag in (("c", "has_change_permission"), ("d", "has_delete_permission")):
                if bool(response.context[flag]) != (letter in allowed):
                    wrong.append(f"{actor} {LETTERS[letter]} {target}: {response.context[flag]}")
        elif response.status_code not in DENIED:
            wrong.append(f"{actor} view {target}: {response.status_code}, expected a refusal")
    assert wrong == []


@pytest.mark.parametrize("actor", ACTORS)
def test_the_add_pages_offer_only_the_plans_of_the_matrix(world: World, actor: str) -> None:
    client = _client(world, actor)
    wrong = []
    for label in sorted({_label(t) for t in world.targets if _registered(t)}):
        may_somewhere = actor != "public" and label in MODEL_LEVEL_ADD[actor]
        if label in READ_ONLY_ADMINS:
            may_somewhere = False
        response = client.get(_admin_url(label, "add"))
        if not may_somewhere:
            if response.status_code not in DENIED:
                wrong.append(f"{actor} add {label}: {response.status_code}, expected a refusal")
            continue
        if response.status_code != 200:
            wrong.append(f"{actor} add {label}: {response.status_code}")
            continue
        form = response.context["adminform"].form
        if "plan" not in form.fields:
            continue
        in_plan_1 = any("a" in expected(actor, t) for t in world.targets if _label(t) == label)
        offered = form.fields["plan"].queryset.filter(pk=world.plan.pk).exists()
        if offered != in_plan_1:
            wrong.append(f"{actor} add {label}: plan 1 offered {offered}, expected {in_plan_1}")
    assert wrong == []


@pytest.mark.parametrize("actor", ACTORS)
def test_workbook_and_report_pages_match_the_matrix(world: World, actor: str) -> None:
    client = _client(world, actor)
    plan = world.plan
    draft = world.targets["reports.report@draft"]
    approved = world.targets["reports.report@approved"]
    plan_may = _interface(actor, "plans.plan")
    pages = [
        ("export", reverse("admin:plans_plan_export", args=[plan.pk]), "e" in plan_may, 200),
        ("import", reverse("admin:plans_plan_import", args=[plan.pk]), "i" in plan_may, 200),
        (
            "approve",
            reverse("admin:reports_report_approve", args=[draft.pk]),
            "p" in _interface(actor, "reports.report@draft"),
            200,
        ),
        (
            "download approved",
            reverse("admin:reports_report_file", args=[approved.pk, "html"]),
            "v" in _interface(actor, "reports.report@approved"),
            200,
        ),
        (
            "download draft",
            reverse("admin:reports_report_file", args=[draft.pk, "pdf"]),
            "v" in _interface(actor, "reports.report@draft"),
            302,
        ),
    ]
    wrong = []
    for name, url, may, status in pages:
        response = client.get(url)
        if may and response.status_code != status:
            wrong.append(f"{actor} {name}: {response.status_code}")
        if not may and (
            response.status_code not in DENIED
            or (response.status_code == 302 and "/login/" not in response["Location"])
        ):
            wrong.append(f"{actor} {name}: {response.status_code}, expected a refusal")
    assert wrong == []
