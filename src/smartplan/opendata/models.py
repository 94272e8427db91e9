"""Use of the open data: download counts per distribution and feedback on a dataset."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.models import PlanScoped


class DownloadCount(models.Model):
    """How many times a distribution (a dataset of a plan in one format) was downloaded,
    bots excluded. One row per distribution, raised with ``F("count") + 1``."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    dataset = models.CharField(_("dataset"), max_length=50)
    format = models.CharField(_("format"), max_length=10)
    count = models.PositiveBigIntegerField(_("downloads"), default=0)
    updated_at = models.DateTimeField(_("last download"), auto_now=True)

    class Meta:
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "dataset", "format"], name="download_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset}.{self.format}: {self.count}"


class Feedback(PlanScoped):
    """A problem reported by the public on a dataset, answered by the plan's coordinator."""

    # Bookkeeping, not a register of the plan: it changes no figure.
    plan_data_signal: ClassVar[bool] = False

    class State(models.TextChoices):
        NEW = "new", _("new")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed without answer")

    dataset = models.CharField(_("dataset"), max_length=50)
    message = models.TextField(_("message"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Where the answer goes; optional.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("open data feedback")
        verbose_name_plural = _("open data feedback")
        ordering = ["plan", "-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset}: {self.message[:60]}"
