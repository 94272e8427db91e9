"""Abstract bases shared by every register."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.versioning import Versioned


class TimeStamped(Versioned):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PlanScoped(TimeStamped):
    """A row of one plan's register. Every register belongs to exactly one plan."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )

    # The foreign key whose plan a row inherits when it is created without one (inline rows
    # in the editor, rows created under a parent by a service).
    plan_parent: ClassVar[str | None] = None
    # Whether writes announce themselves with core.signals.plan_data_changed; off for rows
    # derived from the registers (stored states) and for bookkeeping (jobs, files sent).
    plan_data_signal: ClassVar[bool] = True

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.plan_id and self.plan_parent:
            parent = getattr(self, self.plan_parent, None)
            if parent is not None:
                self.plan_id = parent.plan_id
        super().save(*args, **kwargs)
