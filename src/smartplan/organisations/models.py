"""Organisations, their departments and the people the plan names."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartplan.core.history_records import history_records
from smartplan.core.models import PlanScoped


def validate_ico(value: str) -> None:
    """Czech organisation ID: eight digits, the last a mod-11 check digit."""
    if len(value) != 8 or not value.isdigit():
        raise ValidationError(_("The IČO has eight digits."), code="ico_format")
    total = sum(
        int(digit) * weight for digit, weight in zip(value[:7], range(8, 1, -1), strict=True)
    )
    check = (11 - total % 11) % 10
    if int(value[7]) != check:
        raise ValidationError(
            _("The IČO %(ico)s has a wrong check digit."), code="ico_check", params={"ico": value}
        )


class Organisation(PlanScoped):
    history = history_records()

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        MUNICIPALITY = "municipality", _("municipality")
        COMPANY = "company", _("company")
        SCHOOL = "school", _("school")
        HOSPITAL = "hospital", _("hospital")
        UNIVERSITY = "university", _("university")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100)
    ico = models.CharField(_("IČO"), max_length=8, blank=True, validators=[validate_ico])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("web"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "short_name"], name="organisation_short_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Department(PlanScoped):
    """A department (odbor) or other unit of an organisation."""

    history = history_records()

    plan_parent = "organisation"

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("department")
        DIVISION = "division", _("division")
        PORTFOLIO = "portfolio", _("portfolio")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation", "name"], name="department_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.organisation_id and self.plan_id and self.organisation.plan_id != self.plan_id:
            raise ValidationError({"organisation": _("The organisation belongs to another plan.")})


class Person(PlanScoped):
    history = history_records()
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    function = models.CharField(_("function"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    # A login may stand for the same person in several plans, hence not one-to-one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The login of this person; they then see and enter their indicators."),
    )
    publish_contact = models.BooleanField(
        _("contact may be published"),
        default=False,
        help_text=_("Show the e-mail and phone on the public portal and in open data."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["plan", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="person_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        department = self.department
        if (
            department is not None
            and self.organisation_id
            and department.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"department": _("The department belongs to another organisation.")}
            )
