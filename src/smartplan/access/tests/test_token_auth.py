"""Data providers' tokens: the secret shown once and stored hashed, 401 when unknown or
revoked, and the token's scope only (its plan's assigned sub-indicators and their values)."""

import hashlib
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from smartplan.access.models import ProviderToken
from smartplan.access.services import provider_token_create, provider_token_revoke
from smartplan.access.token_auth import ProviderTokenAuthentication
from smartplan.core.access_scope import plans_permitted, rows_permitted
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.projects.models import FlagshipProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(demo_plan, django_user_model):
    coordinator = django_user_model.objects.create_user("koordinator-t")
    subs = list(SubIndicator.objects.filter(plan=demo_plan).order_by("code"))
    made = provider_token_create(
        plan=demo_plan, name="Meteostanice", sub_indicators=subs[:1], created_by=coordinator
    )
    return SimpleNamespace(token=made.token, secret=made.secret, assigned=subs[0], other=subs[1])


def _authenticate(header):
    request = APIRequestFactory().get("/api/", HTTP_AUTHORIZATION=header)
    return ProviderTokenAuthentication().authenticate(Request(request))


def test_only_the_hash_is_stored_and_the_prefix_names_it(made):
    token = ProviderToken.objects.get(pk=made.token.pk)
    assert token.key_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in (token.key_hash, token.prefix, str(token))
    assert made.secret.startswith(token.prefix)
    assert not token.user.has_usable_password()


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_a_token_answers_with_its_scope_only(made, demo_plan, keyword):
    user, token = _authenticate(f"{keyword} {made.secret}")
    assert token == made.token
    assert user.has_perm("indicators.view_subindicator", made.assigned)
    assert user.has_perm("indicators.add_measurement", Measurement(sub_indicator=made.assigned))
    assert not user.has_perm("indicators.add_measurement", Measurement(sub_indicator=made.other))
    # Not even what the public reads: the token's scope only.
    assert not user.has_perm("indicators.view_subindicator", made.other)
    project = FlagshipProject.objects.filter(plan=demo_plan).first()
    assert not user.has_perm("projects.view_flagshipproject", project)
    visible = rows_permitted(user, SubIndicator.objects.all(), "view")
    assert list(visible) == [made.assigned]
    assert list(plans_permitted(user, "indicators.add_measurement")) == [demo_plan]
    assert ProviderToken.objects.get(pk=made.token.pk).last_used_at is not None


def test_revoked_and_unknown_tokens_are_refused_with_401(made, demo_plan):
    client = APIClient()
    url = reverse("api:sub-indicators-list", args=[demo_plan.slug])
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {made.secret}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION="Bearer nesmysl").status_code == 401
    provider_token_revoke(token=made.token)
    refused = client.get(url, HTTP_AUTHORIZATION=f"Token {made.secret}")
    assert refused.status_code == 401
    assert "odvolán" in refused.content.decode()


def test_a_users_own_key_is_left_to_the_next_authentication_without_a_query(
    made, django_assert_num_queries
):
    # rest_framework.authtoken's keys are 40 hex digits; a provider's secret never is.
    assert len(made.secret) != 40
    with django_assert_num_queries(0):
        assert _authenticate("Token " + "0123456789abcdef0123" * 2) is None
    # The same form after "Bearer" is no user key (DRF's keyword is "Token"): refused.
    with pytest.raises(AuthenticationFailed):
        _authenticate("Bearer " + "0123456789abcdef0123" * 2)
