"""The project stack (zásobník projektů): ideas and projects waiting for money or a chance."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartplan.core.history_records import history_records
from smartplan.core.model_fields import YEAR_VALIDATORS
from smartplan.core.models import PlanScoped


class StackStatus(models.IntegerChoices):
    RUNNING = 1, _("Running, needs no elaboration")
    WAITING = 2, _("In preparation, waiting for money, priority or an opportunity")
    SUITABLE = 3, _("Suitable for elaboration")
    IDEA = 4, _("Pool of ideas and suggestions")


class StackItem(PlanScoped):
    history = history_records()
    number = models.PositiveIntegerField(_("No."))
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("area"), on_delete=models.RESTRICT, related_name="stack_items"
    )
    area_label = models.CharField(
        _("area as written"),
        max_length=200,
        blank=True,
        help_text=_("The topic label of the source table when it differs from the area."),
    )
    name = models.TextField(_("project / measure"))
    description = models.TextField(_("description"), blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=StackStatus.choices, default=StackStatus.IDEA
    )
    finance_mil = models.DecimalField(
        _("finance (mil. Kč)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    finance_text = models.CharField(
        _("finance as written"),
        max_length=200,
        blank=True,
        help_text=_("Text found in the finance column, e.g. “cca 1,5 mil. Kč”."),
    )
    duration_years = models.PositiveSmallIntegerField(
        _("duration (years)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    duration_text = models.CharField(
        _("duration as written"),
        max_length=200,
        blank=True,
        help_text=_("Text found in the duration column, e.g. “Realizováno”."),
    )
    guarantor = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("guarantor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stack_items",
    )
    flagship = models.ForeignKey(
        "projects.FlagshipProject",
        verbose_name=_("flagship project (fiche)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stack_items",
    )
    note = models.TextField(_("note"), blank=True)
    year_added = models.PositiveSmallIntegerField(
        _("year added"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Empty for items of the original plan."),
    )
    progress_note = models.TextField(pgettext_lazy("stack item", "progress"), blank=True)

    class Meta:
        verbose_name = _("stack item")
        verbose_name_plural = _("project stack")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="stack_number_unique"),
            models.CheckConstraint(
                condition=models.Q(finance_mil__isnull=True) | models.Q(finance_mil__gte=0),
                name="stack_finance_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="stack_plan_status")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name[:80]}"
