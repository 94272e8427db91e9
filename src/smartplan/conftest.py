"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from smartplan.demo.plan_loader import plan_fixture_load
from smartplan.demo.services import DEMO_FIXTURE
from smartplan.plans.models import Plan


@pytest.fixture
def demo_plan(db: None) -> Plan:
    """The 2020 Liberec plan, loaded from the committed fixture."""
    plan, created = plan_fixture_load(folder=DEMO_FIXTURE)
    assert created
    return plan


@pytest.fixture
def coordinator_client(db: None, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_superuser(
        username="koordinator", email="k@example.invalid", password="heslo-koordinatora"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client
