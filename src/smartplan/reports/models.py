"""Reports of a plan: the annual report and the quarterly monitoring reports.

A report holds the texts people write (the introduction, the evaluation); everything else is
generated from the registers. Approving a report freezes it: its files and their SHA-256
are stored and later data changes do not alter them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.model_fields import YEAR_VALIDATORS
from smartplan.core.models import PlanScoped


class Report(PlanScoped):
    history = history_records()
    plan_data_signal = False  # a report reads the registers; its texts feed nothing derived

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual report")
        QUARTERLY = "quarterly", _("quarterly monitoring report")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("The “Úvodem” section; paragraphs separated by a blank line."),
    )
    evaluation = models.TextField(
        _("evaluation"),
        blank=True,
        help_text=_("The evaluation of the steps so far (section 4.2)."),
    )
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["plan", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "year"],
                condition=models.Q(quarter__isnull=True),
                name="report_annual_unique",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="report_quarterly_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.QUARTERLY:
            return f"{self.get_kind_display()} {self.quarter}/{self.year}"
        return f"{self.get_kind_display()} {self.year}"

    @property
    def frozen(self) -> bool:
        return self.approved_on is not None

    def clean(self) -> None:
        if self.kind == self.Kind.QUARTERLY and self.quarter is None:
            raise ValidationError({"quarter": _("A quarterly report needs its quarter.")})
        if self.kind == self.Kind.ANNUAL and self.quarter is not None:
            raise ValidationError({"quarter": _("An annual report covers the whole year.")})


class ReportFile(PlanScoped):
    """A frozen rendering of an approved report."""

    history = history_records()

    plan_parent = "report"
    plan_data_signal = False  # bookkeeping of reports, not a register

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="files"
    )
    format = models.CharField(_("format"), max_length=5)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="report_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.format})"


class ReportJob(PlanScoped):
    """A PDF or DOCX being made, or an approval being carried out, in the background.

    A large plan's report takes minutes, longer than a web request may last, so the editing
    interface asks for the file and the worker (``smartplan report-worker``, started by
    ``smartplan serve``) makes it. Each request renders the data as they are at that moment.
    An approval (``format`` "approval") renders and stores every format of the report.
    """

    APPROVAL = "approval"

    plan_parent = "report"
    plan_data_signal = False  # bookkeeping of reports, not a register

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="jobs"
    )
    format = models.CharField(_("format"), max_length=8)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    content = models.BinaryField(_("content"), null=True, blank=True)

    class Meta:
        verbose_name = _("report generation")
        verbose_name_plural = _("report generations")
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["state", "requested_at"], name="report_job_queue")]

    def __str__(self) -> str:
        return f"{self.report} ({self.format}, {self.get_state_display()})"
