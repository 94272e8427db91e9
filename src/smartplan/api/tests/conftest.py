"""Clients of the API tests: a coordinator (superuser, session) and the anonymous public."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def coordinator(db: None, django_user_model: Any) -> APIClient:
    user = django_user_model.objects.create_superuser("koordinator-api", "k@example.invalid", "x")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def public(db: None) -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="cs")
