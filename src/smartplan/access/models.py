"""Who may do what in a plan: roles granted per plan, and the data providers' API tokens.

The rules that give these roles their meaning are in :mod:`smartplan.access.policy`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.models import PlanScoped


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    GUARANTOR = "guarantor", _("guarantor")
    PROVIDER = "provider", _("data provider")
    STEERING = "steering", _("steering group member")


class PlanRole(PlanScoped):
    """A role of one user in one plan; a guarantor's projects and a provider's sub-indicators
    say which part of the plan the role covers."""

    plan_data_signal = False  # who may edit is not data the monitoring figures read

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="plan_roles",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    # Who granted or took away which role, when and through which channel.
    history = history_records()
    projects = models.ManyToManyField(
        "projects.FlagshipProject",
        verbose_name=_("projects"),
        blank=True,
        related_name="+",
        help_text=_("For a guarantor: the flagship projects they answer for."),
    )
    sub_indicators = models.ManyToManyField(
        "indicators.SubIndicator",
        verbose_name=_("sub-indicators"),
        blank=True,
        related_name="+",
        help_text=_("For a data provider: the sub-indicators whose values they enter."),
    )

    class Meta:
        verbose_name = _("role in a plan")
        verbose_name_plural = _("roles in plans")
        ordering = ["plan", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user", "role"], name="plan_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class ProviderToken(PlanScoped):
    """A data provider's API key: values of its sub-indicators only, until revoked.

    Only the SHA-256 of the secret is stored; the secret is shown once, when the token is
    made. ``user`` is the token's own account (no password, no other role), so every value
    it enters and every change it makes is recorded under the token's name.
    """

    plan_data_signal = False

    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # Who created or revoked which token (the secret's hash stays out of the history).
    history = history_records(excluded_fields=["key_hash"])
    sub_indicators = models.ManyToManyField(
        "indicators.SubIndicator", verbose_name=_("sub-indicators"), related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("token account"),
        on_delete=models.PROTECT,
        related_name="provider_token",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("data provider's token")
        verbose_name_plural = _("data providers' tokens")
        ordering = ["plan", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
