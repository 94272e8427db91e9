"""The plan and the frame it sets: approvals, strategic and specific goals, thematic areas."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartplan.core.history_records import history_records
from smartplan.core.model_fields import YEAR_VALIDATORS
from smartplan.core.models import PlanScoped, TimeStamped

RUIAN_BASE = "https://linked.cuzk.cz/resource/ruian"
# The open data directive: what DCAT-AP-CZ names as the legal act of open data.
OPEN_DATA_DIRECTIVE = "http://data.europa.eu/eli/dir/2019/1024/oj"
_TERMS = "https://data.gov.cz/podmínky-užití"


class Plan(TimeStamped):
    """An action plan: one implementation period of a smart-region concept, for one territory."""

    history = history_records()

    class TerritoryKind(models.TextChoices):
        REGION = "vusc", _("region")
        MUNICIPALITY = "obec", _("municipality")

    # The four parts of the conditions of use (podmínky užití) of the plan's open data, as
    # the Czech guide to them names them; the values are the IRIs the catalogue publishes.
    class AuthorWork(models.TextChoices):
        CC_BY = "https://creativecommons.org/licenses/by/4.0/", _("CC BY 4.0 licence")
        NONE = f"{_TERMS}/neobsahuje-autorská-díla/", _("contains no works of authorship")

    class DatabaseWork(models.TextChoices):
        CC_BY = "https://creativecommons.org/licenses/by/4.0/", _("CC BY 4.0 licence")
        NONE = (
            f"{_TERMS}/není-autorskoprávně-chráněnou-databází/",
            _("not a database protected by copyright"),
        )

    class DatabaseRight(models.TextChoices):
        CC0 = "https://creativecommons.org/publicdomain/zero/1.0/", _("CC0 1.0 waiver")
        NONE = (
            f"{_TERMS}/není-chráněna-zvláštním-právem-pořizovatele-databáze/",
            _("not protected by the database maker's special right"),
        )

    class PersonalData(models.TextChoices):
        CONTAINS = f"{_TERMS}/obsahuje-osobní-údaje/", _("contains personal data")
        NONE = f"{_TERMS}/neobsahuje-osobní-údaje/", _("contains no personal data")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("short address"), max_length=80, unique=True)
    territory_kind = models.CharField(
        _("territory kind"), max_length=10, choices=TerritoryKind.choices
    )
    territory_name = models.CharField(_("territory"), max_length=200)
    ruian_code = models.CharField(
        _("RÚIAN code"),
        max_length=10,
        validators=[RegexValidator(r"^\d{1,10}$", _("The RÚIAN code is a number."))],
        help_text=_("Code of the region or municipality in the territorial register RÚIAN."),
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    period_from = models.PositiveSmallIntegerField(_("from year"), validators=YEAR_VALIDATORS)
    period_to = models.PositiveSmallIntegerField(_("to year"), validators=YEAR_VALIDATORS)
    concept_name = models.CharField(_("concept"), max_length=300, blank=True)
    concept_url = models.URLField(_("concept web page"), max_length=500, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "The public (anyone without a role in the plan) may read a published plan, "
            "except drafts, roles and people."
        ),
    )
    # What the open data catalogue (DCAT-AP-CZ) says about the plan's datasets.
    open_data_contact_name = models.CharField(
        _("open data contact"),
        max_length=200,
        blank=True,
        help_text=_("Who answers questions about the open data (a department or a person)."),
    )
    open_data_contact_email = models.EmailField(_("open data contact e-mail"), blank=True)
    legal_act_iri = models.URLField(
        _("legal act (ELI)"),
        max_length=500,
        blank=True,
        default=OPEN_DATA_DIRECTIVE,
        help_text=_(
            "The ELI address of the legal act the datasets are published under, e.g. an "
            "e-Sbírka address; by default the EU open data directive."
        ),
    )
    terms_author_work = models.CharField(
        _("works of authorship"),
        max_length=200,
        choices=AuthorWork.choices,
        default=AuthorWork.CC_BY,
        help_text=_("Conditions of use of the open data: texts written for the plan."),
    )
    terms_database_work = models.CharField(
        _("database as a work of authorship"),
        max_length=200,
        choices=DatabaseWork.choices,
        default=DatabaseWork.NONE,
    )
    terms_database_right = models.CharField(
        _("database maker's special right"),
        max_length=200,
        choices=DatabaseRight.choices,
        default=DatabaseRight.NONE,
    )
    terms_personal_data = models.CharField(
        _("personal data"),
        max_length=200,
        choices=PersonalData.choices,
        default=PersonalData.CONTAINS,
        help_text=_(
            "Said of the datasets that name people (guarantors, contacts); a dataset that "
            "names no one is declared without personal data."
        ),
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="plan_period_ordered",
                violation_error_message=_("The plan cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ruian_uri(self) -> str:
        return f"{RUIAN_BASE}/{self.territory_kind}/{self.ruian_code}"

    @property
    def years(self) -> range:
        return range(self.period_from, self.period_to + 1)

    def clean(self) -> None:
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise ValidationError({"period_to": _("The plan cannot end before it starts.")})


class Approval(PlanScoped):
    """A decision of a body that approved the plan (council, assembly)."""

    history = history_records()

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="approvals"
    )

    body = models.CharField(_("approving body"), max_length=200)
    date = models.DateField(_("date"))
    resolution_number = models.CharField(_("resolution number"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "body", "date"], name="approval_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%Y-%m-%d}"


class StrategicGoal(PlanScoped):
    history = history_records()
    code = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="strategic_goal_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SpecificGoal(PlanScoped):
    history = history_records()
    plan_parent = "strategic_goal"

    strategic_goal = models.ForeignKey(
        StrategicGoal,
        verbose_name=_("strategic goal"),
        on_delete=models.CASCADE,
        related_name="specific_goals",
    )
    code = models.CharField(
        _("number"),
        max_length=10,
        validators=[RegexValidator(r"^\d+\.\d+$", _("Use the form 2.1."))],
    )
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("specific goal")
        verbose_name_plural = _("specific goals")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="specific_goal_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def clean(self) -> None:
        if self.strategic_goal_id and self.plan_id and self.strategic_goal.plan_id != self.plan_id:
            raise ValidationError({"strategic_goal": _("The goal belongs to another plan.")})
        if (
            self.strategic_goal_id
            and self.code
            and not self.code.startswith(f"{self.strategic_goal.code}.")
        ):
            raise ValidationError(
                {
                    "code": _("A specific goal of goal %(goal)s is numbered %(goal)s.N.")
                    % {"goal": self.strategic_goal.code}
                }
            )


class Area(PlanScoped):
    """A thematic area (oblast): Doprava, Životní prostředí, …"""

    history = history_records()

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["plan", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="area_name_unique")]

    def __str__(self) -> str:
        return self.name
