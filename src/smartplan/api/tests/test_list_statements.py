"""Kept page statements never mix readers: two data providers with other sub-indicators,
asking in turn with the statements warm, each get their own sub-indicators only, and a
coordinator after them the whole plan."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from smartplan.access.services import plan_role_grant, provider_token_create
from smartplan.core import statement_cache
from smartplan.indicators.models import SubIndicator

pytestmark = pytest.mark.django_db


def _ids(key: str, url: str) -> set[int]:
    response = APIClient().get(url, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_readers_in_turn_see_their_own_rows(demo_plan, django_user_model):
    statement_cache.statements_forget()
    subs = list(SubIndicator.objects.filter(plan=demo_plan).order_by("code"))
    coordinator = django_user_model.objects.create_user("koordinator-s")
    plan_role_grant(plan=demo_plan, user=coordinator, role="coordinator")
    providers = [
        (
            provider_token_create(
                plan=demo_plan, name=name, sub_indicators=assigned, created_by=coordinator
            ).secret,
            {sub.pk for sub in assigned},
        )
        for name, assigned in (("Meteostanice", subs[:2]), ("Doprava", subs[2:5]))
    ]
    url = f"/api/v1/plans/{demo_plan.slug}/sub-indicators/?limit=500"
    everything = {sub.pk for sub in subs}
    for _round in range(2):  # the second round runs on kept statements
        for secret, own in providers:
            assert _ids(secret, url) == own
        assert _ids(Token.objects.get_or_create(user=coordinator)[0].key, url) == everything
    assert any(not isinstance(kept, str) for kept in statement_cache._keyed.values())
