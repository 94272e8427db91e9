"""Indicators (Appendix 1 of the annual report), their sub-indicators and measured values."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.model_fields import YEAR_VALIDATORS
from smartplan.core.models import PlanScoped
from smartplan.indicators.formula import FormulaError, parse


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")
    EVERY_3_YEARS = "every_3_years", _("every 3 years")
    UNSPECIFIED = "unspecified", _("not specified")


class Indicator(PlanScoped):
    history = history_records()
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    project = models.ForeignKey(
        "projects.FlagshipProject",
        verbose_name=_("flagship project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    strategic_goals = models.ManyToManyField(
        "plans.StrategicGoal", verbose_name=_("strategic goals"), related_name="indicators"
    )
    specific_goal = models.ForeignKey(
        "plans.SpecificGoal",
        verbose_name=_("specific goal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    specific_goal_note = models.CharField(
        _("specific goal note"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “all specific goals” when the indicator serves every one."),
    )
    description = models.TextField(_("description"), blank=True)
    future_indicators_intro = models.TextField(_("possible future indicators: intro"), blank=True)
    future_indicators = models.TextField(
        _("possible future indicators"), blank=True, help_text=_("One per line.")
    )
    target_state = models.TextField(_("target state"), blank=True)
    data_source = models.TextField(_("data source"), blank=True)
    methodology = models.TextField(_("collection and evaluation methodology"), blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.UNSPECIFIED
    )
    frequency_text = models.CharField(_("frequency (as written)"), max_length=300, blank=True)
    responsible_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("responsible institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("responsible department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_indicators",
    )
    last_update = models.DateField(
        _("last update"), null=True, blank=True, help_text=_("Month of the last revision.")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Weight in the roll-up to projects, goals, areas and the plan."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="indicator_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def future_indicator_list(self) -> list[str]:
        return [line.strip() for line in self.future_indicators.splitlines() if line.strip()]


class SubIndicator(PlanScoped):
    """A measured quantity of an indicator, with its baseline and target."""

    history = history_records()

    plan_parent = "indicator"

    class Kind(models.TextChoices):
        NUMBER = "number", _("number")
        PERCENT = "percent", _("percent")
        MILESTONE = "milestone", _("yes/no milestone")

    class Direction(models.TextChoices):
        UP = "up", _("increase")
        DOWN = "down", _("decrease")

    class Aggregation(models.TextChoices):
        LAST = "last", _("last value")
        SUM = "sum", _("sum of periods")
        AVERAGE = "average", _("average")

    class Source(models.TextChoices):
        MEASURED = "measured", _("entered measurements")
        FORMULA = "formula", _("formula")
        OBSERVATIONS = "observations", _("observations")

    class ObservationMethod(models.TextChoices):
        TOTAL = "total", _("total in the year")
        REDUCTION = "reduction", _("reduction against the baseline year (%)")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="sub_indicators",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    aggregation = models.CharField(
        _("combining values over time"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.LAST,
    )
    baseline_value = models.DecimalField(
        _("baseline"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    target_is_relative = models.BooleanField(
        _("target is a change from the baseline"), default=False
    )
    target_text = models.TextField(_("target (as written)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Weight within its indicator; equal weights by default."),
    )
    source = models.CharField(
        _("values come from"), max_length=15, choices=Source.choices, default=Source.MEASURED
    )
    formula = models.TextField(
        _("formula"),
        blank=True,
        help_text=_(
            'E.g. value("8.1") * 2, stack_count(status=1), spent(year=2021), '
            'observations("energie-gymnazium", year=2022).'
        ),
    )
    observation_series = models.ForeignKey(
        "observations.ObservationSeries",
        verbose_name=_("observation series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sub_indicators",
    )
    observation_method = models.CharField(
        _("observation method"),
        max_length=10,
        choices=ObservationMethod.choices,
        default=ObservationMethod.TOTAL,
    )
    observation_baseline_year = models.PositiveSmallIntegerField(
        _("baseline year of observations"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    class Meta:
        verbose_name = _("sub-indicator")
        verbose_name_plural = _("sub-indicators")
        ordering = ["plan", "indicator__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="sub_indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == self.Kind.MILESTONE:
            for field in ("baseline_value", "target_value"):
                value = getattr(self, field)
                if value is not None and value not in (0, 1):
                    errors[field] = _("A milestone is 0 (not yet) or 1 (achieved).")
        if (
            self.kind == self.Kind.PERCENT
            and self.target_value is not None
            and not (
                -100 <= self.target_value <= 100
                if self.target_is_relative
                else 0 <= self.target_value <= 100
            )
        ):
            errors["target_value"] = _("A percentage lies between 0 and 100.")
        if self.baseline_date and self.target_date and self.baseline_date > self.target_date:
            errors["target_date"] = _("The target date lies before the baseline date.")
        if self.source == self.Source.FORMULA and not self.formula.strip():
            errors["formula"] = _("A computed sub-indicator needs a formula.")
        elif self.formula.strip():
            try:
                parse(self.formula)
            except FormulaError as exc:
                errors["formula"] = str(exc)
        if self.source == self.Source.OBSERVATIONS:
            if self.observation_series_id is None:
                errors["observation_series"] = _("Choose the observation series.")
            if (
                self.observation_method == self.ObservationMethod.REDUCTION
                and self.observation_baseline_year is None
            ):
                errors["observation_baseline_year"] = _("A reduction needs a baseline year.")
        if errors:
            raise ValidationError(errors)


class Measurement(PlanScoped):
    """A measured value of a sub-indicator at a date, or for a period ending at that date."""

    history = history_records()

    plan_parent = "sub_indicator"

    sub_indicator = models.ForeignKey(
        SubIndicator,
        verbose_name=_("sub-indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period_start = models.DateField(
        _("period from"), null=True, blank=True, help_text=_("Empty for a value at a date.")
    )
    date = models.DateField(_("date"), help_text=_("The date of the value, or the period's end."))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("state"),
        max_length=12,
        choices=[("provisional", _("provisional")), ("final", _("final"))],
        default="provisional",
        help_text=_("Changing a final value keeps the old one in the history."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["plan", "sub_indicator", "-date"]
        constraints = [
            # One value per sub-indicator and date (a period's value sits at its end date):
            # every channel updates that one row; the database refuses a second.
            models.UniqueConstraint(
                fields=["sub_indicator", "date"],
                name="measurement_one_per_date",
                violation_error_message=_("This sub-indicator already has a value at this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_start__lte=models.F("date")),
                name="measurement_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]
        indexes = [
            # The API's keyset pages: a plan's values by sub-indicator, date and id.
            models.Index(
                fields=["plan", "sub_indicator", "date", "id"], name="measurement_api_order"
            ),
            # The editing interface's year filter: a plan's first and last date, two lookups.
            models.Index(fields=["plan", "date"], name="measurement_plan_date"),
            # When a plan's values last changed (open data's Last-Modified, the catalogue's
            # modification dates): one lookup instead of reading every value of the plan.
            models.Index(fields=["plan", "updated_at"], name="measurement_plan_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.sub_indicator.code} @ {self.date:%Y-%m-%d}"


class MeasurementRevision(PlanScoped):
    """The previous content of a measurement that was changed after it had been final."""

    history = history_records()

    plan_parent = "measurement"

    measurement = models.ForeignKey(
        Measurement,
        verbose_name=_("measurement"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    old_date = models.DateField(_("previous date"))
    old_value = models.DecimalField(_("previous value"), max_digits=20, decimal_places=4)
    old_status = models.CharField(_("previous state"), max_length=12)
    old_note = models.TextField(_("previous note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason for the change"))

    class Meta:
        verbose_name = _("measurement revision")
        verbose_name_plural = _("measurement revisions")
        ordering = ["plan", "measurement", "-created_at"]

    def __str__(self) -> str:
        return f"{self.measurement} ({self.created_at:%Y-%m-%d})"
