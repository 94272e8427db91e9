"""The permission matrix through the API: each actor × register × action, allow and deny.

The same hand-written expectations as the editing interface's matrix
(``access/tests/expectations.py``), asked over HTTP: read a row (GET), add a copy of it
(POST), change it (PATCH with ``If-Match``) and delete it (DELETE with ``If-Match``). Every
write is rolled back after its answer, so one actor's delete does not hide a row from the
next question.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from rest_framework.test import APIClient

from smartplan.access.tests.expectations import ACTORS, expected
from smartplan.access.tests.world import World, world_build
from smartplan.api.registers import REGISTERS

pytestmark = pytest.mark.django_db

DENIED = {401, 403, 404}
# Reports are made, approved and frozen by the report services, never written through the
# API: their writes answer 405 to everyone.
READ_ONLY = {"reports.report"}
BY_LABEL = {register.model._meta.label_lower: register for register in REGISTERS}


@pytest.fixture
def world(demo_plan: Any, other_plan: Any) -> World:
    return world_build(demo_plan, other_plan)


def _client(world: World, actor: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="cs")
    user = world.users[actor]
    if user.is_authenticated:
        client.force_authenticate(user)
    return client


def _targets(world: World) -> list[tuple[str, Any, str]]:
    """(target, row, its URL) for every target the API serves."""
    found = []
    for target, obj in world.targets.items():
        register = BY_LABEL.get(target.split("@")[0])
        if register is not None:
            url = f"/api/v1/plans/{world.plan.slug}/{register.path}/{obj.pk}/"
            found.append((target, obj, url))
    return found


def _rolled_back(call: Any) -> Any:
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


def _added_again(client: APIClient, url: str, obj: Any, body: Any) -> Any:
    """POST the row's own content after removing it (its numbers are unique), rolled back."""
    collection = url.rsplit("/", 2)[0] + "/"
    with transaction.atomic():
        try:
            with transaction.atomic():
                type(obj)._default_manager.filter(pk=obj.pk).delete()
        except (ProtectedError, RestrictedError):
            pass  # rows others must point at (areas…) stay: their copy may still be unique
        response = client.post(collection, body, format="json")
        transaction.set_rollback(True)
    return response


def _copies(world: World) -> dict[str, Any]:
    """The body that adds each target again, where the administrator can add it."""
    admin = _client(world, "admin")
    bodies: dict[str, Any] = {}
    for target, obj, url in _targets(world):
        body: Any = admin.get(url).json()
        for name in ("id", "version", "created_at", "updated_at"):
            body.pop(name, None)
        if target.startswith("observations.observation@"):
            body = [body]  # observations are sent as a list
        if _added_again(admin, url, obj, body).status_code == 201:
            bodies[target] = body
    return bodies


@pytest.mark.parametrize("actor", ACTORS)
def test_the_api_matches_the_matrix(world: World, actor: str) -> None:
    targets = _targets(world)
    assert len(targets) >= 40  # every register the API serves, @A and @B included
    copies = _copies(world)
    bodies = {target: _client(world, "admin").get(url).json() for target, _o, url in targets}
    assert len(copies) >= 15, sorted(copies)
    client = _client(world, actor)
    wrong = []
    for target, obj, url in targets:
        letters = expected(actor, target)
        response = client.get(url)
        if ("v" in letters) != (response.status_code == 200):
            wrong.append(f"view {target}: {response.status_code}")
        etag = f'"{obj.version}"'
        if target in copies:
            added = _added_again(client, url, obj, copies[target])
            if ("a" in letters and added.status_code != 201) or (
                "a" not in letters and added.status_code not in DENIED
            ):
                wrong.append(f"add {target}: {added.status_code} {added.content[:200]!r}")
        if target.split("@")[0] in READ_ONLY:
            writes = [client.patch(url, {}, format="json"), client.delete(url)]
            refused = 401 if actor == "public" else 405  # the public is asked to log in first
            if [response.status_code for response in writes] != [refused, refused]:
                wrong.append(f"write {target}: {[r.status_code for r in writes]}")
            continue
        changed = _rolled_back(
            lambda: client.patch(url, {}, format="json", HTTP_IF_MATCH=etag)  # noqa: B023
        )
        if changed.status_code == 405:  # a value is changed whole (PUT), not in part
            changed = _rolled_back(
                lambda: client.put(url, bodies[target], format="json", HTTP_IF_MATCH=etag)  # noqa: B023
            )
        if ("c" in letters and changed.status_code != 200) or (
            "c" not in letters and changed.status_code not in DENIED
        ):
            wrong.append(f"change {target}: {changed.status_code} {changed.content[:200]!r}")
        deleted = _rolled_back(lambda: client.delete(url, HTTP_IF_MATCH=etag))  # noqa: B023
        # 409: allowed, but other rows still refer to it (an area of projects)
        if ("d" in letters and deleted.status_code not in {204, 409}) or (
            "d" not in letters and deleted.status_code not in DENIED
        ):
            wrong.append(f"delete {target}: {deleted.status_code} {deleted.content[:200]!r}")
    assert wrong == [], json.dumps(wrong, ensure_ascii=False, indent=1)
