"""Raw data behind indicators: time series such as monthly energy use per building."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.models import PlanScoped


class ObservationSeries(PlanScoped):
    history = history_records()
    code = models.SlugField(_("code"), max_length=100, allow_unicode=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    subject = models.CharField(
        _("observed subject"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the building: Gymnázium Žitavská, Česká Lípa."),
    )
    project = models.ForeignKey(
        "projects.FlagshipProject",
        verbose_name=_("flagship project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observation_series",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("observation series")
        verbose_name_plural = _("observation series")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="observation_series_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Observation(PlanScoped):
    """One value of a series for a period (a month, a quarter, a year)."""

    history = history_records()

    plan_parent = "series"

    series = models.ForeignKey(
        ObservationSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["plan", "series", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period_start", "period_end"], name="observation_period_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="observation_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["series", "period_end"], name="observation_series_end"),
            # The API's keyset pages: a plan's observations by series, period and id.
            models.Index(
                fields=["plan", "series", "period_start", "id"], name="observation_api_order"
            ),
            # The editing interface's year filter: a plan's first and last period end.
            models.Index(fields=["plan", "period_end"], name="observation_plan_end"),
        ]

    def __str__(self) -> str:
        return f"{self.series.code} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
