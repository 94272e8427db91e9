"""Partnerships and communication: surveyed towns, communication, awards, new project ideas."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.dates import DatePrecision
from smartplan.core.history_records import history_records
from smartplan.core.model_fields import YEAR_VALIDATORS
from smartplan.core.models import PlanScoped


class SurveyedMunicipality(PlanScoped):
    """A town asked about its smart projects and interest in cooperation."""

    history = history_records()

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    surveyed_on = models.DateField(_("surveyed"), null=True, blank=True)
    surveyed_on_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("surveyed municipality")
        verbose_name_plural = _("surveyed municipalities")
        ordering = ["plan", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation"], name="surveyed_municipality_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class MunicipalProject(PlanScoped):
    """A smart project a surveyed town runs or plans."""

    history = history_records()

    plan_parent = "municipality"

    municipality = models.ForeignKey(
        SurveyedMunicipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    name = models.CharField(_("name"), max_length=300)
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("area"), on_delete=models.SET_NULL, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("municipal smart project")
        verbose_name_plural = _("municipal smart projects")
        ordering = ["plan", "municipality", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="municipal_project_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommunicationActivity(PlanScoped):
    history = history_records()

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        SOCIAL = "social", _("social networks")
        PRESS = "press", _("press release")
        EVENT = "event", _("meeting or conference")
        VIDEO = "video", _("video")
        OTHER = "other", _("other")

    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication activities")
        ordering = ["plan", "date", "title"]

    def __str__(self) -> str:
        return self.title


class Award(PlanScoped):
    history = history_records()
    competition = models.CharField(_("competition"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("category"), max_length=200, blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "competition", "category"], name="award_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competition} – {self.category}"


class ProjectIdea(PlanScoped):
    """A proposal for a new project, not yet in the stack or the plan."""

    history = history_records()

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        "plans.Area", verbose_name=_("area"), on_delete=models.SET_NULL, null=True, blank=True
    )
    proposed_with = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("discussed with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    next_step = models.TextField(_("next step"), blank=True)

    class Meta:
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")
        ordering = ["plan", "-year", "title"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="idea_title_unique")]

    def __str__(self) -> str:
        return self.title
