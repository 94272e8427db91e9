"""What import keeps between files: the column mappings a plan's users confirmed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedMapping(models.Model):
    """A confirmed mapping of a table layout to a register, used again without asking for
    the next file of the plan with the same column names (the layout's ``signature``)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    register = models.CharField(_("register"), max_length=40)
    signature = models.CharField(_("header signature"), max_length=64)
    mapping = models.JSONField(_("mapping"))
    source_name = models.CharField(_("confirmed with the file"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("confirmed"), auto_now=True)

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "register", "signature"], name="exchange_mapping_per_layout"
            )
        ]

    def __str__(self) -> str:
        return f"{self.register}: {self.source_name}"
