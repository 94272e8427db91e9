"""Writes of the access app: granting roles, making and revoking data providers' tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from smartplan.access.models import PlanRole, ProviderToken
from smartplan.core.accounts_version import accounts_version_bump
from smartplan.plans.models import Plan

TOKEN_PREFIX_LENGTH = 8


def key_hash(secret: str) -> str:
    """The stored form of a token's secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def editors_ensure(*, user_ids: Iterable[int]) -> None:
    """Users with a role may enter the editing interface (Django's ``is_staff``); what they
    see there is what their roles allow, nothing more."""
    if get_user_model().objects.filter(pk__in=list(user_ids), is_staff=False).update(is_staff=True):
        accounts_version_bump()  # a bulk write sends no signal


@transaction.atomic
def plan_role_grant(
    *,
    plan: Plan,
    user: Any,
    role: str,
    projects: Iterable[Any] = (),
    sub_indicators: Iterable[Any] = (),
) -> PlanRole:
    """Give ``user`` ``role`` in ``plan`` (adding projects and sub-indicators to one they
    already hold) and let them into the editing interface."""
    found, _created = PlanRole.objects.get_or_create(plan=plan, user=user, role=role)
    if projects:
        found.projects.add(*projects)
    if sub_indicators:
        found.sub_indicators.add(*sub_indicators)
    editors_ensure(user_ids=[user.pk])
    user.is_staff = True
    return found


@dataclass(frozen=True)
class TokenMade:
    token: ProviderToken
    secret: str  # shown once; only its hash is stored


@transaction.atomic
def provider_token_create(
    *, plan: Plan, name: str, sub_indicators: Iterable[Any], created_by: Any | None
) -> TokenMade:
    """A new token for a data provider: values of ``sub_indicators`` of ``plan`` only."""
    # 43 characters: never the 40 hex digits of a user's own key, which token_auth then
    # does not look up among these (token_auth._is_user_key).
    secret = secrets.token_urlsafe(32)
    prefix = secret[:TOKEN_PREFIX_LENGTH]
    account = get_user_model().objects.create(
        username=f"token-{prefix}",
        first_name=name[:150],
        last_name="(token)",
        is_active=True,
        is_staff=False,
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    token = ProviderToken.objects.create(
        plan=plan,
        name=name,
        prefix=prefix,
        key_hash=key_hash(secret),
        user=account,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    token.sub_indicators.set(list(sub_indicators))
    return TokenMade(token=token, secret=secret)


def provider_token_revoke(*, token: ProviderToken) -> None:
    """The token stops working at once; it stays listed, with when it was revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ProviderToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
