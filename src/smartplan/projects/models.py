"""Flagship projects, their status per reporting period, activities and money."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.model_fields import YEAR_VALIDATORS
from smartplan.core.models import PlanScoped


class FundingSource(PlanScoped):
    """Where money comes from: the region's budget, EU programmes, TA ČR, private money."""

    history = history_records()

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="funding_source_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class FlagshipProject(PlanScoped):
    history = history_records()
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("area"), on_delete=models.RESTRICT, related_name="projects"
    )
    strategic_goals = models.ManyToManyField(
        "plans.StrategicGoal", verbose_name=_("strategic goals"), related_name="projects"
    )
    guarantor = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("guarantor"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="guaranteed_projects",
        help_text=_("The department of the office that answers for the project."),
    )
    guarantor_contact = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("guarantor's contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    implementer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("implementer"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="implemented_projects",
    )
    implementer_department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("implementing department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    implementer_contact = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("implementer's contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    council_member = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("responsible council member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    council_portfolio = models.CharField(_("council portfolio"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("One point per paragraph.")
    )
    coordinated = models.BooleanField(
        _("coordinated under the plan"),
        default=True,
        help_text=_("Unticked when the project runs outside the plan's coordination."),
    )
    not_coordinated_reason = models.TextField(_("why not coordinated"), blank=True)
    financing_note = models.TextField(_("financing"), blank=True)
    funding_sources = models.ManyToManyField(
        FundingSource, verbose_name=_("funding sources"), blank=True, related_name="projects"
    )

    class Meta:
        verbose_name = _("flagship project")
        verbose_name_plural = _("flagship projects")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def description_points(self) -> list[str]:
        return split_points(self.description)

    def clean(self) -> None:
        for field in ("area", "guarantor", "implementer"):
            related = getattr(self, field, None)
            if related is not None and self.plan_id and related.plan_id != self.plan_id:
                raise ValidationError({field: _("This belongs to another plan.")})


def split_points(text: str) -> list[str]:
    """Points are paragraphs separated by a blank line."""
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


class ProjectStatusReport(PlanScoped):
    """Where a project stands in a reporting period: the year, or a quarter of it."""

    history = history_records()

    plan_parent = "project"

    project = models.ForeignKey(
        FlagshipProject,
        verbose_name=_("flagship project"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Empty for the whole year."),
    )
    preparation_status = models.TextField(
        _("preparation status"), help_text=_("One point per paragraph.")
    )
    planned_activities = models.TextField(
        _("planned activities for the next year"),
        blank=True,
        help_text=_("One point per paragraph."),
    )

    class Meta:
        verbose_name = _("project status")
        verbose_name_plural = _("project statuses")
        ordering = ["plan", "project__number", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                condition=models.Q(quarter__isnull=True),
                name="status_report_year_unique",
                violation_error_message=_("This project already has a status for that year."),
            ),
            models.UniqueConstraint(
                fields=["project", "year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="status_report_quarter_unique",
                violation_error_message=_("This project already has a status for that quarter."),
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.quarter}/{self.year}" if self.quarter else str(self.year)
        return f"{self.project} – {period}"


class Activity(PlanScoped):
    """A numbered step of a flagship project, timed in years of the plan."""

    history = history_records()

    plan_parent = "project"

    project = models.ForeignKey(
        FlagshipProject,
        verbose_name=_("flagship project"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    part = models.CharField(
        _("part"), max_length=20, blank=True, help_text=_("Sub-step of one number, e.g. AD1.")
    )
    description = models.TextField(_("description"))
    expected_outputs = models.TextField(_("expected outputs"), blank=True)
    timing_text = models.CharField(_("timing (as written)"), max_length=300, blank=True)
    timing_from = models.PositiveSmallIntegerField(
        _("from plan year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    timing_to = models.PositiveSmallIntegerField(
        _("to plan year"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    continuous = models.BooleanField(_("continuous"), default=False)
    cost_min = models.DecimalField(
        _("cost estimate from (Kč)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    cost_max = models.DecimalField(
        _("cost estimate to (Kč)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    cost_note = models.TextField(_("cost estimate note"), blank=True)
    funding_sources = models.ManyToManyField(
        FundingSource, verbose_name=_("funding sources"), blank=True, related_name="activities"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "project__number", "number", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number", "part"], name="activity_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(timing_from__isnull=True)
                | models.Q(timing_to__isnull=True)
                | models.Q(timing_from__lte=models.F("timing_to")),
                name="activity_timing_ordered",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(cost_min__isnull=True)
                | models.Q(cost_max__isnull=True)
                | models.Q(cost_min__lte=models.F("cost_max")),
                name="activity_cost_ordered",
                violation_error_message=_("The lower estimate exceeds the upper one."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Activity %(label)s") % {"label": self.label}

    @property
    def label(self) -> str:
        return f"{self.number} ({self.part})" if self.part else str(self.number)


class ActivityFulfilment(PlanScoped):
    """What an activity achieved in one calendar year, and the money spent on it."""

    history = history_records()

    plan_parent = "activity"

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="fulfilments",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    outputs = models.TextField(_("outputs achieved"), blank=True)
    spent = models.DecimalField(
        _("spent (Kč)"),
        default=0,
        validators=[MinValueValidator(0)],
        max_digits=14,
        decimal_places=2,
    )

    class Meta:
        verbose_name = _("yearly fulfilment")
        verbose_name_plural = _("yearly fulfilment")
        ordering = ["plan", "activity", "year"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "year"], name="fulfilment_year_unique"),
            models.CheckConstraint(condition=models.Q(spent__gte=0), name="fulfilment_spent_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.year}"


class ActivityCost(PlanScoped):
    """A documented cost beside an activity (e.g. project documentation, 260 tis. Kč bez DPH)."""

    history = history_records()

    plan_parent = "activity"

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="documented_costs",
    )
    description = models.TextField(_("description"))
    amount = models.DecimalField(
        _("amount (Kč)"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    vat_included = models.BooleanField(_("including VAT"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("documented cost")
        verbose_name_plural = _("documented costs")
        ordering = ["plan", "activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "description"], name="activity_cost_unique")
        ]

    def __str__(self) -> str:
        return self.description[:80]
