"""Synthetic plans for scale tests: K times the demo plan in every register, deterministic.

Names and values are Czech and plausible (Faker's cs_CZ locale plus the vocabulary of smart
projects), so pages and reports built on them look like real ones. A plan is generated as
register rows (references by natural key, as in a workbook) and written by the one writer of
a whole plan, :func:`exchange.plan_rows.plan_rows_write`, with the checks every import has;
measured values go through the measurement action. Both write in bulk, which keeps a 100×
plan within seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from faker import Faker

from smartplan.core.errors import SmartplanError
from smartplan.demo.plan_loader import plan_publish
from smartplan.exchange import registers as r
from smartplan.exchange.columns import Sheet
from smartplan.exchange.plan_rows import PlanRows, plan_rows_write
from smartplan.governance.models import Decision
from smartplan.indicators.models import Frequency, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurements_save
from smartplan.monitoring.services import plan_states_recompute
from smartplan.organisations.models import Organisation
from smartplan.partnerships.models import CommunicationActivity
from smartplan.plans.models import Plan
from smartplan.stack.models import StackStatus

BATCH = 2000
# Generated values carry a note: an off-track value without one is refused, as anywhere.
MEASUREMENT_NOTE = "Syntetická hodnota pro zátěžové testy."

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


def _fictional_ico(rng: random.Random) -> str:
    """Eight digits with a right mod-11 check digit (the form validate_ico accepts)."""
    digits = [rng.randrange(10) for _ in range(7)]
    total = sum(d * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    return "".join(map(str, digits)) + str((11 - total % 11) % 10)


def _department_name(index: int) -> str:
    topic = DEPARTMENT_TOPICS[index % len(DEPARTMENT_TOPICS)]
    return f"Odbor {topic} {index // len(DEPARTMENT_TOPICS) + 1}"


class _PlanGenerator:
    """Rows of one synthetic plan, by register sheet, with references by natural key."""

    def __init__(self, *, index: int, scale: int, seed: int, measurements_per_sub: int) -> None:
        self.scale = scale
        self.index = index
        self.rng = random.Random(f"{seed}-{index}")
        self.fake = Faker("cs_CZ")
        self.fake.seed_instance(seed * 1000 + index)
        self.measurements_per_sub = measurements_per_sub
        self.counts: dict[str, int] = {}

    def _add(self, sheet: Sheet, rows: Sequence[dict[str, Any]], count: str = "") -> None:
        target = self.rows.sheets.setdefault(sheet.name, [])
        target.extend((len(target) + number, cells) for number, cells in enumerate(rows, 1))
        if count:
            self.counts[count] = self.counts.get(count, 0) + len(rows)

    def _money(self, low: int, high: int, step: int = 10_000) -> Decimal:
        return Decimal(self.rng.randrange(low, high, step))

    def generate(self, seed: int) -> PlanRows:
        region = self.fake.city()
        year = 2020 + self.index % 5
        slug = f"synteticky-{seed}-{self.index}"
        self.rows = PlanRows(
            source=slug,
            plan_values={
                "name": f"Akční plán Chytřejší region {region} {year}–{year + 2}",
                "slug": slug,
                "territory_kind": Plan.TerritoryKind.MUNICIPALITY,
                "territory_name": region,
                "ruian_code": str(500000 + self.rng.randrange(99999)),
                "period_from": year,
                "period_to": year + 2,
                "concept_name": f"Koncepce Chytřejší region {region}",
                "vision": self.fake.paragraph(nb_sentences=4),
                "description": "Syntetický plán pro zátěžové testy.",
                # Fictional but valid catalogue facts (DCAT-AP-CZ): the town owns the plan.
                "owner": "MĚSTO",
                "open_data_contact_name": f"Město {region}, odbor rozvoje",
                "open_data_contact_email": "otevrena-data@example.invalid",
            },
        )
        self.territory = region
        self.year = year
        self._frame()
        self._organisations()
        self._projects()
        self._indicators()
        self._stack_and_resources()
        self._partnerships_and_governance()
        return self.rows

    def _frame(self) -> None:
        self.goals = [i + 1 for i in range(len(GOALS))]
        self._add(r.STRATEGIC_GOALS, [{"code": i + 1, "name": n} for i, n in enumerate(GOALS)])
        self.specific = [f"{goal}.{n}" for goal in self.goals for n in range(1, 4)]
        self._add(
            r.SPECIFIC_GOALS,
            [
                {
                    "code": code,
                    "strategic_goal": code.split(".")[0],
                    "text": self.fake.sentence(nb_words=8),
                }
                for code in self.specific
            ],
        )
        self.areas = [name for name, _short in AREAS]
        self._add(
            r.AREAS,
            [{"name": n, "short_name": s, "order": i} for i, (n, s) in enumerate(AREAS, 1)],
        )
        self.funding = [code for code, _name in FUNDING]
        self._add(r.FUNDING, [{"code": c, "name": n} for c, n in FUNDING])

    def _organisations(self) -> None:
        k = self.scale
        orgs = [
            {
                "short_name": "MĚSTO",
                "name": f"Město {self.territory}",
                "ico": _fictional_ico(self.rng),
                "kind": Organisation.Kind.MUNICIPALITY,
            }
        ]
        for i in range(UNIT["organisations"] * k - 1):
            orgs.append(
                {
                    "short_name": f"ORG-{i + 1}",
                    "name": self.fake.company(),
                    "kind": self.rng.choice(Organisation.Kind.values),
                }
            )
        self.org_names = {o["short_name"]: o["name"] for o in orgs}
        self.orgs = [o["short_name"] for o in orgs]
        self._add(r.ORGANISATIONS, orgs, "organisations")
        self.departments = [_department_name(i) for i in range(UNIT["departments"] * k)]
        self._add(
            r.DEPARTMENTS,
            [{"name": name, "organisation": self.orgs[0]} for name in self.departments],
            "departments",
        )
        names = _Unique()
        people = [
            {
                "name": names(self.fake.name()),
                "function": self.fake.job()[:300],
                "organisation": self.orgs[0],
                "department": self.rng.choice(self.departments),
                "email": self.fake.email(),
                "phone": self.fake.phone_number(),
                "publish_contact": self.rng.random() < 0.7,
            }
            for _ in range(UNIT["people"] * k)
        ]
        self.people = [p["name"] for p in people]
        self._add(r.PEOPLE, people, "people")

    def _projects(self) -> None:
        rng = self.rng
        projects: list[dict[str, Any]] = [
            {
                "number": n,
                "name": f"{PROJECT_SUBJECTS[n % len(PROJECT_SUBJECTS)]} {n}",
                "area": rng.choice(self.areas),
                "guarantor": rng.choice(self.departments),
                "implementer": rng.choice(self.orgs),
                "council_member": rng.choice(self.people),
                "guarantor_contact": rng.choice(self.people),
                "description": "\n\n".join(self.fake.sentence(nb_words=14) for _ in range(3)),
                "financing_note": self.fake.sentence(nb_words=12),
            }
            for n in range(1, UNIT["projects"] * self.scale + 1)
        ]
        for project in projects:
            project["strategic_goals"] = [rng.choice(self.goals)]
        for project in projects:
            project["funding_sources"] = rng.sample(self.funding, 2)
        self.projects = projects
        self._add(r.PROJECTS, projects, "projects")
        self._add(
            r.STATUS_REPORTS,
            [
                {
                    "project": p["number"],
                    "year": self.year,
                    "preparation_status": "\n\n".join(self.fake.sentences(3)),
                    "planned_activities": "\n\n".join(self.fake.sentences(2)),
                }
                for p in projects
            ],
            "status_reports",
        )
        activities = [
            {
                "project": p["number"],
                "number": n,
                "description": self.fake.paragraph(nb_sentences=3),
                "timing_text": f"{n}. rok",
                "timing_from": min(n, 3),
                "timing_to": min(n, 3),
                "cost_min": self._money(100_000, 1_000_000),
                "cost_max": self._money(1_000_000, 5_000_000),
            }
            for p in projects
            for n in range(1, UNIT["activities_per_project"] + 1)
        ]
        self._add(r.ACTIVITIES, activities, "activities")
        fulfilments = [
            {
                "activity_project": a["project"],
                "activity_number": a["number"],
                "year": year,
                "outputs": self.fake.sentence(nb_words=10),
                "spent": self._money(0, 2_000_000) if rng.random() < 0.6 else Decimal(0),
            }
            for a in activities
            for year in range(self.year, self.year + 3)
        ]
        self._add(r.FULFILMENT, fulfilments, "fulfilments")
        costs = [
            {
                "activity_project": a["project"],
                "activity_number": a["number"],
                "description": f"Projektová dokumentace – {self.fake.street_name()}",
                "amount": self._money(100_000, 900_000),
                "vat_included": False,
                "note": "v přípravě",
            }
            for a in rng.sample(activities, max(1, len(activities) // 19))
        ]
        self._add(r.COSTS, costs, "documented_costs")

    def _indicators(self) -> None:
        rng = self.rng
        indicators = [
            {
                "number": p["number"],
                "name": f"Počet výstupů projektu {p['name']}",
                "project": p["number"],
                "specific_goal": rng.choice(self.specific),
                "description": self.fake.paragraph(),
                "target_state": self.fake.sentence(),
                "data_source": self.org_names[p["implementer"]],
                "methodology": self.fake.paragraph(),
                "frequency": rng.choice(Frequency.values),
                "responsible_person": rng.choice(self.people),
                "last_update": dt.date(self.year, 11, 1),
            }
            for p in self.projects
        ]
        for indicator in indicators:
            indicator["strategic_goals"] = [rng.choice(self.goals)]
        self._add(r.INDICATORS, indicators, "indicators")
        subs = []
        low, high = SUB_INDICATORS_PER_INDICATOR
        for indicator in indicators:
            number = indicator["number"]
            for n in range(1, rng.randint(low, high) + 1):
                unit, target = rng.choice(OUTPUT_UNITS)
                subs.append(
                    {
                        "indicator": number,
                        "code": f"{number}.{n}",
                        "name": f"Počet {unit} ({number}.{n})",
                        "unit": unit,
                        "kind": (
                            SubIndicator.Kind.PERCENT if unit == "%" else SubIndicator.Kind.NUMBER
                        ),
                        "aggregation": rng.choices(
                            SubIndicator.Aggregation.values, weights=(7, 2, 1)
                        )[0],
                        "baseline_value": Decimal(0),
                        "baseline_date": dt.date(self.year, 1, 1),
                        "target_value": Decimal(target),
                        "target_date": dt.date(self.year + 2, 12, 31),
                    }
                )
        self._add(r.SUB_INDICATORS, subs, "sub_indicators")
        self._measurements(subs)

    def _measurements(self, subs: list[dict[str, Any]]) -> None:
        per_sub = self.measurements_per_sub
        if not per_sub:
            return
        start = dt.date(self.year, 1, 1)
        rows = [
            {
                "sub_indicator": sub["code"],
                "date": start + dt.timedelta(days=(n * 1095) // per_sub),
                "value": _value(sub["target_value"], sub["kind"], n, per_sub, self.rng),
                "note": MEASUREMENT_NOTE,
            }
            for sub in subs
            for n in range(per_sub)
        ]
        self._add(r.MEASUREMENTS, rows, "measurements")

    def _stack_and_resources(self) -> None:
        rng = self.rng
        stack = [
            {
                "number": n,
                "area_text": rng.choice(self.areas),
                "name": f"{rng.choice(STACK_VERBS)}: {rng.choice(PROJECT_SUBJECTS).lower()}"
                f" – {self.fake.city()}",
                "description": self.fake.paragraph(nb_sentences=2),
                "status": rng.choice(StackStatus.values),
                "finance_mil": (
                    Decimal(rng.randrange(5, 2500)) / 10 if rng.random() < 0.85 else None
                ),
                "duration_years": rng.randint(1, 6),
                "guarantor": rng.choice(self.departments),
                "flagship": rng.choice(self.projects)["number"] if rng.random() < 0.7 else None,
            }
            for n in range(1, UNIT["stack"] * self.scale + 1)
        ]
        added = [
            {"number": item["number"], "year_added": self.year}
            for item in stack
            if rng.random() < 0.2
        ]
        self._add(r.STACK, stack, "stack_items")
        self._add(r.STACK_EXTRA, added)
        resources = [
            {
                "title": f"{rng.choice(PROJECT_SUBJECTS)}: zkušenosti z obce {self.fake.city()}",
                "url": f"https://{self.fake.domain_name()}/{n}",
                "area": rng.choice(self.areas),
                "flagship": rng.choice(self.projects)["number"],
                "description": self.fake.sentence(),
                "added_on": dt.date(self.year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            }
            for n in range(UNIT["resources"] * self.scale)
        ]
        self._add(r.RESOURCES, resources, "resources")

    def _partnerships_and_governance(self) -> None:
        rng, k = self.rng, self.scale
        unique = _Unique()
        towns = [
            {
                "short_name": f"OBEC-{n}",
                "name": f"Město {self.fake.city()}",
                "kind": Organisation.Kind.MUNICIPALITY,
            }
            for n in range(UNIT["municipalities"] * k)
        ]
        self._add(r.ORGANISATIONS, towns)
        self._add(
            r.MUNICIPALITIES,
            [
                {
                    "organisation": t["short_name"],
                    "surveyed_on": dt.date(self.year, 8, 1),
                    "surveyed_on_precision": "month",
                }
                for t in towns
            ],
            "municipalities",
        )
        self._add(
            r.COMMUNICATION,
            [
                {
                    "date": dt.date(self.year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                    "channel": rng.choice(CommunicationActivity.Channel.values),
                    "title": unique(self.fake.sentence(nb_words=6)),
                }
                for _ in range(UNIT["communication"] * k)
            ],
            "communication",
        )
        self._add(
            r.AWARDS,
            [
                {
                    "competition": f"Soutěž Chytrá města {self.year}",
                    "year": self.year,
                    "category": unique(rng.choice(["Vize", "Projekt", "Malá obec"])),
                    "place": rng.randint(1, 3),
                }
                for _ in range(UNIT["awards"] * k)
            ],
            "awards",
        )
        self._add(
            r.IDEAS,
            [
                {
                    "title": unique(self.fake.sentence(nb_words=5)),
                    "area": rng.choice(self.areas),
                    "year": self.year,
                    "description": self.fake.paragraph(),
                }
                for _ in range(UNIT["ideas"] * k)
            ],
            "ideas",
        )
        self._add(
            r.MEMBERS,
            [
                {
                    "role": unique(self.fake.job()[:380]),
                    "person": rng.choice(self.people),
                    "order": n,
                }
                for n in range(UNIT["members"] * k)
            ],
            "members",
        )
        meetings = [
            {
                "date": dt.date(self.year, 3 * (n % 4) + 1, 15),
                "title": f"{n + 1}. jednání řídící skupiny",
                "agenda": self.fake.paragraph(),
            }
            for n in range(UNIT["meetings"] * k)
        ]
        self._add(r.MEETINGS, meetings, "meetings")
        self._add(
            r.DECISIONS,
            [
                {
                    "meeting": m["title"],
                    "number": f"{index}/{n}",
                    "text": self.fake.sentence(),
                    "responsible": rng.choice(self.people),
                    "state": rng.choice(Decision.State.values),
                }
                for index, m in enumerate(meetings, 1)
                for n in range(1, UNIT["decisions_per_meeting"] + 1)
            ],
            "decisions",
        )


def _value(target: Decimal | None, kind: str, n: int, per_sub: int, rng: random.Random) -> Decimal:
    """The n-th of ``per_sub`` values on the way to the target, with some noise; a milestone
    is 0 until it is reached (1), as the measurement action requires."""
    share = (n + 1) / per_sub * rng.uniform(0.6, 1.2)
    if kind == SubIndicator.Kind.MILESTONE:
        return Decimal(1) if share >= 1 else Decimal(0)
    return Decimal(str(round(float(target or 1) * share, 2)))


def synthetic_measurements_add(*, plan: Plan, total: int, seed: int = 1) -> int:
    """Add about ``total`` measurements to ``plan``, spread evenly over its sub-indicators.

    The values go through the measurement action (its rules hold for generated data too),
    in batches of sub-indicators within one transaction; the plan's monitoring states are
    recomputed once at the end.
    """
    subs = list(SubIndicator.objects.filter(plan=plan).select_related("plan"))
    if not subs:
        return 0
    per_sub = max(1, total // len(subs))
    rng = random.Random(seed)
    start = dt.date(plan.period_from, 1, 1)
    days = (dt.date(plan.period_to, 12, 31) - start).days
    written = 0
    entries: list[MeasurementEntry] = []
    with transaction.atomic():
        for number, sub in enumerate(subs, 1):
            entries.extend(
                MeasurementEntry(
                    sub_indicator=sub,
                    date=start + dt.timedelta(days=(n * days) // per_sub),
                    value=_value(sub.target_value, sub.kind, n, per_sub, rng),
                    note=MEASUREMENT_NOTE,
                )
                for n in range(per_sub)
            )
            if len(entries) >= BATCH * 25 or number == len(subs):
                saved = measurements_save(entries=entries, user=None)
                written += saved.created
                entries = []
        plan_states_recompute(plan=plan)
    return written


class SyntheticPlanExistsError(SmartplanError):
    """A synthetic plan of this seed exists; generating it again would change nothing."""

    exit_code = 2


def synthetic_plans_generate(
    *, plans: int, scale: int, seed: int = 1, measurements_per_sub: int = 12
) -> list[SyntheticSummary]:
    """Create ``plans`` synthetic plans of ``scale`` times the demo's size; same seed, same data.

    Each plan is written by the plan writer in its own transaction, so a large run that is
    interrupted keeps the plans already finished and never leaves half a plan; each leaves
    its monitoring states current.
    """
    if plans < 1 or scale < 1:
        raise ValueError("plans and scale must be at least 1")
    summaries = []
    for index in range(1, plans + 1):
        generator = _PlanGenerator(
            index=index, scale=scale, seed=seed, measurements_per_sub=measurements_per_sub
        )
        rows = generator.generate(seed)
        if Plan.objects.filter(slug=rows.plan_values["slug"]).exists():
            raise SyntheticPlanExistsError(
                _("Synthetic plans with seed %(seed)s already exist; use another --seed.")
                % {"seed": seed}
            )
        report = plan_rows_write(rows=rows)
        assert report.plan is not None
        plan_publish(report.plan)
        summaries.append(SyntheticSummary(plan=report.plan, counts=generator.counts))
    return summaries
