"""Synthetic plans for scale tests: K times the demo plan in every register, deterministic.

Names and values are Czech and plausible (Faker's cs_CZ locale plus the vocabulary of smart
projects), so pages and reports built on them look like real ones. Rows are written with
``bulk_create`` in batches, which keeps a 100× plan within seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from faker import Faker

from smartplan.core.signals import plan_data_changed_send
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Frequency, Indicator, Measurement, SubIndicator
from smartplan.organisations.models import Department, Organisation, Person
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    ProjectIdea,
    SurveyedMunicipality,
)
from smartplan.plans.models import Area, Plan, SpecificGoal, StrategicGoal
from smartplan.projects.models import (
    Activity,
    ActivityCost,
    ActivityFulfilment,
    FlagshipProject,
    FundingSource,
    ProjectStatusReport,
)
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem, StackStatus

BATCH = 2000
M = TypeVar("M", bound=models.Model)

# Per unit of scale: the demo plan's size in each register.
SUB_INDICATORS_PER_INDICATOR = (1, 3)
UNIT: dict[str, int] = {
    "organisations": 17,
    "departments": 11,
    "people": 13,
    "projects": 9,
    "activities_per_project": 4,
    "indicators_per_project": 1,
    "stack": 53,
    "resources": 125,
    "municipalities": 10,
    "communication": 5,
    "awards": 1,
    "ideas": 2,
    "members": 7,
    "meetings": 1,
    "decisions_per_meeting": 3,
}

AREAS = [
    ("Doprava", "Doprava"),
    ("Ekonomický rozvoj a cestovní ruch", "ER + CR"),
    ("Životní prostředí", "ŽP"),
    ("Vzdělávání", "Vzdělávání"),
    ("Veřejná správa", "Veřejná správa"),
    ("Technická a datová infrastruktura a odolnost", "Infrastruktura"),
    ("Zdravotnictví", "Zdravotnictví"),
    ("Sociální", "Sociální"),
    ("Ostatní", "Ostatní"),
]
GOALS = ["Zrychlit", "Ušetřit", "Zlepšit"]
DEPARTMENT_TOPICS = [
    "dopravy",
    "informatiky",
    "školství, mládeže, tělovýchovy a sportu",
    "zdravotnictví",
    "životního prostředí a zemědělství",
    "investic a správy nemovitého majetku",
    "regionálního rozvoje a evropských projektů",
    "kultury, památkové péče a cestovního ruchu",
    "sociálních věcí",
    "kanceláře ředitele",
    "ekonomický",
    "krizového řízení",
]
PROJECT_SUBJECTS = [
    "Sběr dopravních dat",
    "Energetický management",
    "Hospodaření s vodou",
    "Datový portál",
    "Chytré parkování",
    "Digitalizace agend",
    "Sdílení služebních aut",
    "Dálkové odečty energií",
    "Kybernetická bezpečnost",
    "Chytré zastávky",
    "Povodňový portál",
    "Sdílená evidence lůžek",
    "Fotovoltaika na budovách",
    "Mobilní aplikace pro turisty",
    "Elektronický podpis",
    "Datový sklad",
    "Chytré osvětlení",
    "Senzory kvality ovzduší",
    "Online rezervace",
]
STACK_VERBS = ["Zavedení", "Rozvoj", "Pilotní ověření", "Modernizace", "Rozšíření", "Příprava"]
OUTPUT_UNITS = [
    ("stažení", 10000),
    ("partnerů", 10),
    ("aplikací", 6),
    ("akcí", 2),
    ("datových sad", 5),
    ("%", 100),
    ("objektů", 20),
]
FUNDING = [
    ("LK", "Liberecký kraj (rozpočet kraje)"),
    ("IROP II", "IROP 2021+"),
    ("OPŽP", "Operační program Životní prostředí"),
    ("TA ČR", "Technologická agentura ČR"),
    ("PRIVATE", "Soukromé zdroje"),
]


@dataclass
class SyntheticSummary:
    plan: Plan
    counts: dict[str, int]


class _Unique:
    """Faker repeats names at scale; natural keys must not: "Jan Novák (2)"."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        count = self.seen.get(text, 0) + 1
        self.seen[text] = count
        return text if count == 1 else f"{text} ({count})"


def _department_name(index: int) -> str:
    topic = DEPARTMENT_TOPICS[index % len(DEPARTMENT_TOPICS)]
    return f"Odbor {topic} {index // len(DEPARTMENT_TOPICS) + 1}"


def _bulk(model: type[M], rows: Sequence[M]) -> list[M]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def _through(relation: Any, pairs: Iterable[tuple[int, int]]) -> None:
    """Bulk-insert rows of a many-to-many table given (source pk, target pk) pairs."""
    through = relation.remote_field.through
    source = relation.m2m_field_name() + "_id"
    target = relation.m2m_reverse_field_name() + "_id"
    through.objects.bulk_create(
        [through(**{source: a, target: b}) for a, b in pairs], batch_size=BATCH
    )


class _PlanGenerator:
    def __init__(self, *, index: int, scale: int, seed: int, measurements_per_sub: int) -> None:
        self.scale = scale
        self.index = index
        self.rng = random.Random(f"{seed}-{index}")
        self.fake = Faker("cs_CZ")
        self.fake.seed_instance(seed * 1000 + index)
        self.measurements_per_sub = measurements_per_sub
        self.counts: dict[str, int] = {}

    def _count(self, key: str, rows: Sequence[models.Model]) -> None:
        self.counts[key] = self.counts.get(key, 0) + len(rows)

    def _money(self, low: int, high: int, step: int = 10_000) -> Decimal:
        return Decimal(self.rng.randrange(low, high, step))

    def generate(self, seed: int) -> Plan:
        region = self.fake.city()
        year = 2020 + self.index % 5
        plan = Plan.objects.create(
            name=f"Akční plán Chytřejší region {region} {year}–{year + 2}",
            slug=f"synteticky-{seed}-{self.index}",
            territory_kind=Plan.TerritoryKind.MUNICIPALITY,
            territory_name=region,
            ruian_code=str(500000 + self.rng.randrange(99999)),
            period_from=year,
            period_to=year + 2,
            concept_name=f"Koncepce Chytřejší region {region}",
            vision=self.fake.paragraph(nb_sentences=4),
            description="Syntetický plán pro zátěžové testy.",
        )
        self.plan = plan
        self.year = year
        self._frame()
        self._organisations()
        self._projects()
        self._indicators()
        self._stack_and_resources()
        self._partnerships_and_governance()
        return plan

    def _frame(self) -> None:
        plan = self.plan
        self.goals = _bulk(
            StrategicGoal,
            [StrategicGoal(plan=plan, code=i + 1, name=n) for i, n in enumerate(GOALS)],
        )
        self.specific = _bulk(
            SpecificGoal,
            [
                SpecificGoal(
                    plan=plan,
                    strategic_goal=goal,
                    code=f"{goal.code}.{n}",
                    text=self.fake.sentence(nb_words=8),
                )
                for goal in self.goals
                for n in range(1, 4)
            ],
        )
        self.areas = _bulk(
            Area,
            [Area(plan=plan, name=n, short_name=s, order=i) for i, (n, s) in enumerate(AREAS, 1)],
        )
        self.funding = _bulk(
            FundingSource, [FundingSource(plan=plan, code=c, name=n) for c, n in FUNDING]
        )

    def _organisations(self) -> None:
        plan, k = self.plan, self.scale
        orgs = [
            Organisation(
                plan=plan,
                name=f"Město {self.territory}",
                short_name="MĚSTO",
                kind=Organisation.Kind.MUNICIPALITY,
            )
        ]
        for i in range(UNIT["organisations"] * k - 1):
            orgs.append(
                Organisation(
                    plan=plan,
                    name=self.fake.company(),
                    short_name=f"ORG-{i + 1}",
                    kind=self.rng.choice(Organisation.Kind.values),
                )
            )
        self.orgs = _bulk(Organisation, orgs)
        self._count("organisations", self.orgs)
        self.departments = _bulk(
            Department,
            [
                Department(
                    plan=plan,
                    organisation=self.orgs[0],
                    name=_department_name(i),
                )
                for i in range(UNIT["departments"] * k)
            ],
        )
        self._count("departments", self.departments)
        names = _Unique()
        self.people = _bulk(
            Person,
            [
                Person(
                    plan=plan,
                    name=names(self.fake.name()),
                    function=self.fake.job()[:300],
                    organisation=self.orgs[0],
                    department=self.rng.choice(self.departments),
                    email=self.fake.email(),
                    phone=self.fake.phone_number(),
                    publish_contact=self.rng.random() < 0.7,
                )
                for _ in range(UNIT["people"] * k)
            ],
        )
        self._count("people", self.people)

    @property
    def territory(self) -> str:
        return self.plan.territory_name

    def _projects(self) -> None:
        plan, rng = self.plan, self.rng
        projects = [
            FlagshipProject(
                plan=plan,
                number=n,
                name=f"{PROJECT_SUBJECTS[n % len(PROJECT_SUBJECTS)]} {n}",
                area=rng.choice(self.areas),
                guarantor=rng.choice(self.departments),
                implementer=rng.choice(self.orgs),
                council_member=rng.choice(self.people),
                guarantor_contact=rng.choice(self.people),
                description="\n\n".join(self.fake.sentence(nb_words=14) for _ in range(3)),
                financing_note=self.fake.sentence(nb_words=12),
            )
            for n in range(1, UNIT["projects"] * self.scale + 1)
        ]
        self.projects = _bulk(FlagshipProject, projects)
        self._count("projects", self.projects)
        _through(
            FlagshipProject._meta.get_field("strategic_goals"),
            [(p.pk, rng.choice(self.goals).pk) for p in self.projects],
        )
        _through(
            FlagshipProject._meta.get_field("funding_sources"),
            [(p.pk, f.pk) for p in self.projects for f in rng.sample(self.funding, 2)],
        )
        self._count(
            "status_reports",
            _bulk(
                ProjectStatusReport,
                [
                    ProjectStatusReport(
                        plan=plan,
                        project=p,
                        year=self.year,
                        preparation_status="\n\n".join(self.fake.sentences(3)),
                        planned_activities="\n\n".join(self.fake.sentences(2)),
                    )
                    for p in self.projects
                ],
            ),
        )
        activities = [
            Activity(
                plan=plan,
                project=p,
                number=n,
                description=self.fake.paragraph(nb_sentences=3),
                timing_text=f"{n}. rok",
                timing_from=min(n, 3),
                timing_to=min(n, 3),
                cost_min=self._money(100_000, 1_000_000),
                cost_max=self._money(1_000_000, 5_000_000),
            )
            for p in self.projects
            for n in range(1, UNIT["activities_per_project"] + 1)
        ]
        self.activities = _bulk(Activity, activities)
        self._count("activities", self.activities)
        fulfilments = [
            ActivityFulfilment(
                plan=plan,
                activity=a,
                year=year,
                outputs=self.fake.sentence(nb_words=10),
                spent=self._money(0, 2_000_000) if rng.random() < 0.6 else Decimal(0),
            )
            for a in self.activities
            for year in range(self.year, self.year + 3)
        ]
        self._count("fulfilments", _bulk(ActivityFulfilment, fulfilments))
        costs = [
            ActivityCost(
                plan=plan,
                activity=a,
                description=f"Projektová dokumentace – {self.fake.street_name()}",
                amount=self._money(100_000, 900_000),
                vat_included=False,
                note="v přípravě",
            )
            for a in rng.sample(self.activities, max(1, len(self.activities) // 19))
        ]
        self._count("documented_costs", _bulk(ActivityCost, costs))

    def _indicators(self) -> None:
        plan, rng = self.plan, self.rng
        indicators = [
            Indicator(
                plan=plan,
                number=p.number,
                name=f"Počet výstupů projektu {p.name}",
                project=p,
                specific_goal=rng.choice(self.specific),
                description=self.fake.paragraph(),
                target_state=self.fake.sentence(),
                data_source=p.implementer.name if p.implementer else "",
                methodology=self.fake.paragraph(),
                frequency=rng.choice(Frequency.values),
                responsible_person=rng.choice(self.people),
                last_update=dt.date(self.year, 11, 1),
            )
            for p in self.projects
        ]
        self.indicators = _bulk(Indicator, indicators)
        self._count("indicators", self.indicators)
        _through(
            Indicator._meta.get_field("strategic_goals"),
            [(i.pk, rng.choice(self.goals).pk) for i in self.indicators],
        )
        subs = []
        low, high = SUB_INDICATORS_PER_INDICATOR
        for indicator in self.indicators:
            for n in range(1, rng.randint(low, high) + 1):
                unit, target = rng.choice(OUTPUT_UNITS)
                subs.append(
                    SubIndicator(
                        plan=plan,
                        indicator=indicator,
                        code=f"{indicator.number}.{n}",
                        name=f"Počet {unit} ({indicator.number}.{n})",
                        unit=unit,
                        kind=SubIndicator.Kind.PERCENT if unit == "%" else SubIndicator.Kind.NUMBER,
                        aggregation=rng.choices(SubIndicator.Aggregation.values, weights=(7, 2, 1))[
                            0
                        ],
                        baseline_value=Decimal(0),
                        baseline_date=dt.date(self.year, 1, 1),
                        target_value=Decimal(target),
                        target_date=dt.date(self.year + 2, 12, 31),
                    )
                )
        self.subs = _bulk(SubIndicator, subs)
        self._count("sub_indicators", self.subs)
        self._measurements()

    def _measurements(self) -> None:
        per_sub = self.measurements_per_sub
        if not per_sub:
            return
        start = dt.date(self.year, 1, 1)
        rows: list[Measurement] = []
        total = 0
        for sub in self.subs:
            target = float(sub.target_value or 1)
            for n in range(per_sub):
                rows.append(
                    Measurement(
                        plan=self.plan,
                        sub_indicator=sub,
                        date=start + dt.timedelta(days=(n * 1095) // per_sub),
                        value=Decimal(
                            round(target * (n + 1) / per_sub * self.rng.uniform(0.6, 1.2), 2)
                        ),
                    )
                )
            if len(rows) >= BATCH * 5:
                total += len(Measurement.objects.bulk_create(rows, batch_size=BATCH))
                rows = []
        total += len(Measurement.objects.bulk_create(rows, batch_size=BATCH))
        self.counts["measurements"] = total

    def _stack_and_resources(self) -> None:
        plan, rng = self.plan, self.rng
        stack = [
            StackItem(
                plan=plan,
                number=n,
                area=rng.choice(self.areas),
                name=f"{rng.choice(STACK_VERBS)}: {rng.choice(PROJECT_SUBJECTS).lower()}"
                f" – {self.fake.city()}",
                description=self.fake.paragraph(nb_sentences=2),
                status=rng.choice(StackStatus.values),
                finance_mil=Decimal(rng.randrange(5, 2500)) / 10 if rng.random() < 0.85 else None,
                duration_years=rng.randint(1, 6),
                guarantor=rng.choice(self.departments),
                flagship=rng.choice(self.projects) if rng.random() < 0.7 else None,
                year_added=self.year if rng.random() < 0.2 else None,
            )
            for n in range(1, UNIT["stack"] * self.scale + 1)
        ]
        self._count("stack_items", _bulk(StackItem, stack))
        resources = [
            Resource(
                plan=plan,
                title=f"{rng.choice(PROJECT_SUBJECTS)}: zkušenosti z obce {self.fake.city()}",
                url=f"https://{self.fake.domain_name()}/{n}",
                area=rng.choice(self.areas),
                flagship=rng.choice(self.projects),
                description=self.fake.sentence(),
                added_on=dt.date(self.year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            )
            for n in range(UNIT["resources"] * self.scale)
        ]
        self._count("resources", _bulk(Resource, resources))

    def _partnerships_and_governance(self) -> None:
        plan, rng, k = self.plan, self.rng, self.scale
        unique = _Unique()
        towns = _bulk(
            Organisation,
            [
                Organisation(
                    plan=plan,
                    name=f"Město {self.fake.city()}",
                    short_name=f"OBEC-{n}",
                    kind=Organisation.Kind.MUNICIPALITY,
                )
                for n in range(UNIT["municipalities"] * k)
            ],
        )
        self._count(
            "municipalities",
            _bulk(
                SurveyedMunicipality,
                [
                    SurveyedMunicipality(
                        plan=plan,
                        organisation=t,
                        surveyed_on=dt.date(self.year, 8, 1),
                        surveyed_on_precision="month",
                    )
                    for t in towns
                ],
            ),
        )
        self._count(
            "communication",
            _bulk(
                CommunicationActivity,
                [
                    CommunicationActivity(
                        plan=plan,
                        date=dt.date(self.year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                        channel=rng.choice(CommunicationActivity.Channel.values),
                        title=unique(self.fake.sentence(nb_words=6)),
                    )
                    for _ in range(UNIT["communication"] * k)
                ],
            ),
        )
        self._count(
            "awards",
            _bulk(
                Award,
                [
                    Award(
                        plan=plan,
                        competition=f"Soutěž Chytrá města {self.year}",
                        year=self.year,
                        category=unique(rng.choice(["Vize", "Projekt", "Malá obec"])),
                        place=rng.randint(1, 3),
                    )
                    for _ in range(UNIT["awards"] * k)
                ],
            ),
        )
        self._count(
            "ideas",
            _bulk(
                ProjectIdea,
                [
                    ProjectIdea(
                        plan=plan,
                        title=unique(self.fake.sentence(nb_words=5)),
                        area=rng.choice(self.areas),
                        year=self.year,
                        description=self.fake.paragraph(),
                    )
                    for _ in range(UNIT["ideas"] * k)
                ],
            ),
        )
        members = _bulk(
            SteeringGroupMember,
            [
                SteeringGroupMember(
                    plan=plan,
                    role=unique(self.fake.job()[:380]),
                    person=rng.choice(self.people),
                    order=n,
                )
                for n in range(UNIT["members"] * k)
            ],
        )
        self._count("members", members)
        meetings = _bulk(
            Meeting,
            [
                Meeting(
                    plan=plan,
                    date=dt.date(self.year, 3 * (n % 4) + 1, 15),
                    title=f"{n + 1}. jednání řídící skupiny",
                    agenda=self.fake.paragraph(),
                )
                for n in range(UNIT["meetings"] * k)
            ],
        )
        self._count("meetings", meetings)
        self._count(
            "decisions",
            _bulk(
                Decision,
                [
                    Decision(
                        plan=plan,
                        meeting=m,
                        number=f"{m.pk}/{n}",
                        text=self.fake.sentence(),
                        responsible=rng.choice(self.people),
                        state=rng.choice(Decision.State.values),
                    )
                    for m in meetings
                    for n in range(1, UNIT["decisions_per_meeting"] + 1)
                ],
            ),
        )


@transaction.atomic  # the measurements and the stale mark of the plan's states commit together
def synthetic_measurements_add(*, plan: Plan, total: int, seed: int = 1) -> int:
    """Add about ``total`` measurements to ``plan``, spread evenly over its sub-indicators."""
    subs = list(SubIndicator.objects.filter(plan=plan))
    if not subs:
        return 0
    per_sub = max(1, total // len(subs))
    rng = random.Random(seed)
    start = dt.date(plan.period_from, 1, 1)
    days = (dt.date(plan.period_to, 12, 31) - start).days
    written = 0
    rows: list[Measurement] = []
    for sub in subs:
        target = float(sub.target_value or 1)
        for n in range(per_sub):
            rows.append(
                Measurement(
                    plan=plan,
                    sub_indicator=sub,
                    date=start + dt.timedelta(days=(n * days) // per_sub),
                    value=Decimal(round(target * (n + 1) / per_sub * rng.uniform(0.6, 1.2), 2)),
                )
            )
        if len(rows) >= BATCH * 10:
            written += len(Measurement.objects.bulk_create(rows, batch_size=BATCH))
            rows = []
    written += len(Measurement.objects.bulk_create(rows, batch_size=BATCH))
    plan_data_changed_send(model=Measurement, plan_id=plan.pk)  # bulk writes send none
    return written


def synthetic_plans_generate(
    *, plans: int, scale: int, seed: int = 1, measurements_per_sub: int = 12
) -> list[SyntheticSummary]:
    """Create ``plans`` synthetic plans of ``scale`` times the demo's size; same seed, same data.

    Each plan is written in its own transaction, so a large run that is interrupted keeps
    the plans already finished and never leaves half a plan.
    """
    if plans < 1 or scale < 1:
        raise ValueError("plans and scale must be at least 1")
    summaries = []
    for index in range(1, plans + 1):
        with transaction.atomic():
            generator = _PlanGenerator(
                index=index, scale=scale, seed=seed, measurements_per_sub=measurements_per_sub
            )
            plan = generator.generate(seed)
            plan_data_changed_send(model=Plan, plan_id=plan.pk)  # bulk writes send none
        summaries.append(SyntheticSummary(plan=plan, counts=generator.counts))
    return summaries
