"""The steering group: its members, meetings and decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.dates import DatePrecision
from smartplan.core.history_records import history_records
from smartplan.core.models import PlanScoped


class SteeringGroupMember(PlanScoped):
    """A seat in the steering group, held by a role and, when known, a named person."""

    history = history_records()

    role = models.CharField(_("role"), max_length=400)
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_group_seats",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active_from = models.DateField(_("member since"), null=True, blank=True)
    active_to = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        verbose_name = _("steering group member")
        verbose_name_plural = _("steering group members")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "role"], name="member_role_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})" if self.person else self.role


class Meeting(PlanScoped):
    history = history_records()
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_text = models.CharField(
        _("date as written"), max_length=200, blank=True, help_text=_("E.g. “early December 2020”.")
    )
    title = models.CharField(_("title"), max_length=300)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        SteeringGroupMember, verbose_name=_("attendees"), blank=True, related_name="meetings"
    )

    class Meta:
        verbose_name = _("steering group meeting")
        verbose_name_plural = _("steering group meetings")
        ordering = ["plan", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="meeting_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Decision(PlanScoped):
    history = history_records()
    plan_parent = "meeting"

    class State(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.CharField(_("number"), max_length=30)
    text = models.TextField(_("text"))
    responsible = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["plan", "meeting__date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="decision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:60]}"
