"""The data providers' API tokens: ``Authorization: Token <secret>`` (or ``Bearer``).

A token's request runs as the token's own account, with the token's roles attached: a data
provider in the token's plan for the token's sub-indicators. ``has_perm`` and
``rows_permitted`` answer with that scope only (not even the public's view is added).
An unknown or revoked token is refused with 401.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from smartplan.access.models import ProviderToken
from smartplan.access.policy import PROVIDER
from smartplan.access.services import key_hash
from smartplan.access.user_roles import UserRoles, roles_keep

KEYWORDS = (b"token", b"bearer")
# How often "last used" is written: not on every request of a busy token.
LAST_USED_EVERY = dt.timedelta(minutes=5)
USER_KEY_LENGTH = 40  # rest_framework.authtoken's Token.generate_key(): 20 random bytes, hex
_HEX = frozenset("0123456789abcdef")


def token_scope(token: ProviderToken) -> UserRoles:
    """The roles a token carries: a provider of its sub-indicators in its plan, only."""
    subs = set(token.sub_indicators.values_list("pk", flat=True))
    return UserRoles(plans={PROVIDER: {token.plan_id}}, sub_indicators=subs, public=False)


def _is_user_key(secret: str) -> bool:
    """Whether ``secret`` has the form of a user's own key (``rest_framework.authtoken``: 40
    hex digits), which a provider's secret never has (``secrets.token_urlsafe(32)``: 43
    characters): such a request needs no look-up of the providers' tokens (one query less
    on every request of an account with a key)."""
    return len(secret) == USER_KEY_LENGTH and all(c in _HEX for c in secret)


class ProviderTokenAuthentication(BaseAuthentication):
    """DRF authentication by a data provider's token."""

    def authenticate(self, request: Request) -> tuple[Any, ProviderToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be “Token <key>” with the key and nothing else.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        if parts[0].lower() == b"token" and _is_user_key(secret):
            return None  # a user's own API key (rest_framework.authtoken): no query here
        token = (
            ProviderToken.objects.select_related("user")
            .filter(key_hash=key_hash(secret))
            .order_by()  # one row by a unique key: the model's ordering would join the plan
            .first()
        )
        if token is None:
            if parts[0].lower() == b"token":
                return None  # maybe a user's own API key (rest_framework.authtoken), next
            self._refuse()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token was revoked."))
        if not token.user.is_active:
            self._refuse()
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ProviderToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        roles_keep(user, token_scope(token))
        return user, token

    def _refuse(self) -> NoReturn:
        raise exceptions.AuthenticationFailed(_("The token is not valid."))

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'


class ProviderTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the OpenAPI schema describes the tokens."""

    target_class = "smartplan.access.token_auth.ProviderTokenAuthentication"
    name = "providerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A data provider's token: “Token <key>” (or “Bearer <key>”).",
        }
