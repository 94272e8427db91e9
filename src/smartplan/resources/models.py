"""The resource database (Databáze zdrojů SMART): categorised links to sources of inspiration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.models import PlanScoped


class Resource(PlanScoped):
    history = history_records()
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=1000)
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("area"), on_delete=models.RESTRICT, related_name="resources"
    )
    flagship = models.ForeignKey(
        "projects.FlagshipProject",
        verbose_name=_("flagship project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    description = models.TextField(_("description"), blank=True)
    added_on = models.DateField(_("date added"))

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resource database")
        ordering = ["plan", "area__order", "title"]
        constraints = [models.UniqueConstraint(fields=["plan", "url"], name="resource_url_unique")]

    def __str__(self) -> str:
        return self.title
