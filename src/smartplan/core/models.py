"""Abstract bases shared by every register."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
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


class ChangeSet(models.Model):
    """Changes made together: one form saved, one API request, one imported file, one command,
    one revert. Every historical record of a register points at the change set it belongs to
    (``core.change_sets``), so a whole import can be reviewed and reverted at once."""

    class Channel(models.TextChoices):
        INTERFACE = "interface", _("editing interface")
        IMPORT = "import", _("import")
        API = "api", _("API")
        COMMAND = "command", _("command")
        REVERT = "revert", _("revert")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    label = models.CharField(_("label"), max_length=255, blank=True)
    # A string reference: core imports no other app. Kept when the plan is deleted (its
    # history stays readable).
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The labels ("app_label.model_name") of the historical models holding its records, so
    # its pages read only those tables.
    registers = models.JSONField(_("registers"), default=list, blank=True)
    reverted_by = models.ForeignKey(
        "self",
        verbose_name=_("reverted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("change set")
        verbose_name_plural = _("change sets")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["plan", "created_at"], name="change_set_plan_time")]

    def __str__(self) -> str:
        return gettext("Change set %(number)s") % {"number": self.pk}


class ChangeSetRecord(models.Model):
    """The base of every historical model (django-simple-history ``bases=``): the change set a
    historical record belongs to."""

    change_set = models.ForeignKey(
        ChangeSet,
        verbose_name=_("change set"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        abstract = True


class AccountsVersion(models.Model):
    """One row whose ``version`` rises in the transaction of every change of the user
    accounts, groups and their permissions (``core.accounts_version``).

    Pages kept in a cache name it in their key when they show something of another account
    than the reader's own (who entered a value) or depend on Django's permissions: such a
    change is then seen by every worker at its next request (``core.list_page_cache``).
    """

    version = models.PositiveBigIntegerField(_("version"), default=1)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("version of the accounts")
        verbose_name_plural = _("version of the accounts")

    def __str__(self) -> str:
        return str(self.version)
