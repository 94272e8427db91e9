"""Optional two-factor login (TOTP, django-otp) for accounts of the editing interface.

An account enrols an authenticator app on its own page in the editing interface: the page
shows a QR code (an inline SVG data URI, allowed by the Content Security Policy's
``img-src data:``), the account confirms it with one code, and from then on every login
form (the editing interface's and the site's) asks for a code as well. A session that
logged in without one cannot open the editing interface. An administrator removes a lost
device in the editing interface (Two-factor devices), after which the account logs in with
its password alone.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartplan.core.data_versions import data_versions
from smartplan.core.statement_cache import values_rows

DEVICE_NAME = "authenticator"


# Seconds an answer of two_factor_required is kept (it names the version it holds for).
_KNOWN_SECONDS = 600


def two_factor_required(user: Any, *, accounts_version: int | None = None) -> bool:
    """True when the account has a confirmed device, so its logins need a code.

    Given the accounts' version the caller read (``core.data_versions``), the answer is
    kept in Django's cache under that version: a device confirmed or removed
    raises it (``core.accounts_version``), so every request to the editing interface does
    not ask the database again."""
    if not getattr(user, "is_authenticated", False):
        return False
    key = f"two-factor-required:{user.pk}:{accounts_version}"
    known = cache.get(key) if accounts_version is not None else None
    if isinstance(known, bool):
        return known
    devices = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by()
    required = bool(values_rows(devices.values("id")[:1]))
    if accounts_version is not None:
        cache.set(key, required, _KNOWN_SECONDS)
    return required


def session_passes_two_factor(request: HttpRequest) -> bool:
    """The editing interface's gate: an enrolled account's session must have given a code
    (OTPMiddleware answers ``is_verified``); others pass. One query per request at most."""
    cached = getattr(request, "_smartplan_two_factor_ok", None)
    if cached is None:
        user: Any = request.user
        verified = bool(getattr(user, "is_verified", lambda: False)())
        version = data_versions(request).accounts if not verified else None
        cached = verified or not two_factor_required(user, accounts_version=version)
        request._smartplan_two_factor_ok = cached  # type: ignore[attr-defined]
    return bool(cached)


class _TokenMixin(forms.Form):
    """A login form's code field: required only for an account with a confirmed device."""

    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        max_length=16,
        help_text=_("Only if you turned on two-factor login."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def _check_token(self, user: Any) -> None:
        if not two_factor_required(user):
            return
        token = (self.cleaned_data.get("otp_token") or "").replace(" ", "")
        if not token:
            raise forms.ValidationError(
                _(
                    "This account uses two-factor login: enter the code from your "
                    "authenticator app as well."
                ),
                code="otp_missing",
            )
        device = django_otp.match_token(user, token)
        if device is None:
            raise forms.ValidationError(
                _("The code from the authenticator app is not valid; enter the current one."),
                code="otp_invalid",
            )
        # django-otp stores the device in the session when Django logs the user in.
        user.otp_device = device


class TwoFactorLoginForm(_TokenMixin, AuthenticationForm):
    """The site's login (/prihlaseni/): name, password and, when enrolled, a code."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.user_cache is not None:
            self._check_token(self.user_cache)
        return cleaned


class TwoFactorAdminLoginForm(_TokenMixin, AdminAuthenticationForm):
    """The editing interface's login: staff only, and a code when enrolled."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.user_cache is not None:
            self._check_token(self.user_cache)
        return cleaned


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("The code does not match; check the time on your phone and enter a new one.")
            )
        return token


def qr_code_data_uri(text: str) -> str:
    """``text`` as a QR code in an SVG ``data:`` URI (no request, no inline script)."""
    image: Any = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _pending_device(user: Any) -> TOTPDevice:
    """The account's unconfirmed device, made once so reloading keeps the same secret."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def enrol_view(request: HttpRequest, admin_context: dict[str, Any]) -> HttpResponse:
    """The editing interface's page to turn two-factor login on (or see that it is on)."""
    user: Any = request.user
    context: dict[str, Any] = {**admin_context, "title": gettext("Two-factor login")}
    if two_factor_required(user):
        context["enrolled"] = True
        return TemplateResponse(request, "core/two_factor_enrol.html", context)
    device = _pending_device(user)
    form = EnrolForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        # This session has just shown a code: it stays in the editing interface.
        django_otp.login(request, device)
        messages.success(
            request,
            gettext("Two-factor login is on: from now on, logging in asks for a code."),
        )
        return HttpResponseRedirect(request.path)
    context.update(
        form=form,
        qr_code=qr_code_data_uri(str(device.config_url)),
        secret=base64.b32encode(device.bin_key).decode("ascii"),
    )
    return TemplateResponse(request, "core/two_factor_enrol.html", context)
