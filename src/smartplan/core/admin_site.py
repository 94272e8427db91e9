"""The editing interface's admin site: Django's, with two-factor login for enrolled accounts.

Installed through ``core.admin_config.SmartplanAdminConfig`` in INSTALLED_APPS (in place of
``django.contrib.admin``), so ``admin.site`` everywhere is this site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path

from smartplan.core import two_factor


class SmartplanAdminSite(admin.AdminSite):
    login_form = two_factor.TwoFactorAdminLoginForm
    login_template = "core/admin_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff as in Django, and an enrolled account only in a session that gave a code."""
        return super().has_permission(request) and two_factor.session_passes_two_factor(request)

    def get_urls(self) -> list[Any]:
        pages = [
            path(
                "dvoufazove-prihlaseni/",
                self.admin_view(self._two_factor_enrol),
                name="two_factor_enrol",
            )
        ]
        return [*pages, *super().get_urls()]

    def _two_factor_enrol(self, request: HttpRequest) -> HttpResponse:
        return two_factor.enrol_view(request, self.each_context(request))
