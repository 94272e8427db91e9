"""Monitoring state: per-plan rules, the computed state of each sub-indicator, sent reminders."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.models import PlanScoped, TimeStamped


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")
    NO_DATA = "no_data", _("no data")


class MonitoringSettings(TimeStamped):
    """Thresholds and reminder timing of one plan (defaults apply when a plan has none)."""

    history = history_records()

    plan = models.OneToOneField(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="monitoring_settings",
    )
    on_track_ratio = models.DecimalField(
        _("on track from"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the expected progress that still counts as on track (0.90 = 90 %)."),
    )
    at_risk_ratio = models.DecimalField(
        _("at risk from"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Below this share of the expected progress the value is off track."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before the due date"), default=14
    )

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(at_risk_ratio__lte=models.F("on_track_ratio")),
                name="monitoring_thresholds_ordered",
                violation_error_message=_(
                    "The at-risk threshold must not exceed the on-track one."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.plan)


class SubIndicatorState(PlanScoped):
    """The last computed value, progress and status of a sub-indicator (a cache of the rules)."""

    plan_parent = "sub_indicator"
    plan_data_signal = False  # derived from the registers, not one of them

    sub_indicator = models.OneToOneField(
        "indicators.SubIndicator",
        verbose_name=_("sub-indicator"),
        on_delete=models.CASCADE,
        related_name="state",
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True)
    value_date = models.DateField(_("value date"), null=True)
    progress = models.DecimalField(_("progress"), max_digits=9, decimal_places=4, null=True)
    expected_progress = models.DecimalField(
        _("expected progress"), max_digits=9, decimal_places=4, null=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    explanation = models.TextField(_("how it was computed"))
    error = models.TextField(_("error"), blank=True)
    next_due = models.DateField(_("next value due"), null=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("sub-indicator state")
        verbose_name_plural = _("sub-indicator states")
        indexes = [models.Index(fields=["plan", "status"], name="state_plan_status")]

    def __str__(self) -> str:
        return f"{self.sub_indicator_id}: {self.status}"


class ReminderLog(PlanScoped):
    """A reminder sent, or being sent; the unique key makes every reminder go out once."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("due soon")
        OVERDUE = "overdue", _("overdue")

    plan_parent = "sub_indicator"
    plan_data_signal = False  # bookkeeping of what was sent

    sub_indicator = models.ForeignKey(
        "indicators.SubIndicator",
        verbose_name=_("sub-indicator"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    due_date = models.DateField(_("due date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent"), null=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["plan", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_indicator", "due_date", "kind"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sub_indicator_id} {self.kind} {self.due_date:%Y-%m-%d}"


class RollUpState(PlanScoped):
    """A stored roll-up (plan, goal, area, project, indicator) of the sub-indicator states."""

    class Level(models.TextChoices):
        PLAN = "plan", _("plan")
        STRATEGIC_GOAL = "strategic_goal", _("strategic goal")
        SPECIFIC_GOAL = "specific_goal", _("specific goal")
        AREA = "area", _("area")
        PROJECT = "project", _("flagship project")
        INDICATOR = "indicator", _("indicator")

    plan_data_signal = False  # derived from the registers, not one of them

    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    key = models.CharField(_("key"), max_length=50)
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("name"), max_length=500)
    object_id = models.PositiveBigIntegerField(_("object"), null=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    progress = models.DecimalField(_("progress"), max_digits=9, decimal_places=4, null=True)
    expected_progress = models.DecimalField(
        _("expected progress"), max_digits=9, decimal_places=4, null=True
    )
    counts = models.JSONField(_("statuses of the items"), default=dict)
    explanation = models.TextField(_("how it was computed"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("roll-up")
        verbose_name_plural = _("roll-ups")
        ordering = ["plan", "level", "order"]
        indexes = [models.Index(fields=["plan", "level", "order"], name="rollup_plan_level")]

    def __str__(self) -> str:
        return f"{self.level} {self.label}"


class StatesFreshness(models.Model):
    """Which version of a plan's registers its stored states were computed from.

    ``inputs_version`` goes up in the same transaction as every change of the plan's
    registers; a recompute stores the version it started from in ``states_version``. The
    states are current when the two are equal, so a crash between a change's commit and its
    recompute leaves the plan durably marked stale (see monitoring.freshness). A plan
    without this row counts as stale too.
    """

    plan = models.OneToOneField(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    inputs_version = models.PositiveBigIntegerField(_("version of the registers"), default=1)
    states_version = models.PositiveBigIntegerField(_("version of the stored states"), default=0)
    changed_at = models.DateTimeField(_("registers changed"), null=True)

    class Meta:
        verbose_name = _("freshness of the stored states")
        verbose_name_plural = _("freshness of the stored states")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.states_version}/{self.inputs_version}"
