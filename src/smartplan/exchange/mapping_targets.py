"""The registers a table in its own layout can feed, and how their fields are recognised.

Each target is a register sheet of :mod:`exchange.registers` plus what a proposal needs to
guess a column's field: synonyms of its header (Czech and English, matched without case,
accents or punctuation), the unit the register keeps a number in, and which fields take
values through a value map (status words to the stack's states 1–4, department names to
the plan's departments). Adding a register is adding an entry to :data:`TARGETS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartplan.exchange.columns import Column, Sheet
from smartplan.exchange.registers import ACTIVITIES, INDICATORS, MEASUREMENTS, STACK, SUB_INDICATORS
from smartplan.exchange.unit_conversion import UNIT_BY_CODE, Unit

# How a field's values are mapped: the stack's states, a reference's rows, a choice's labels.
STATUS = "stack_status"


@dataclass(frozen=True)
class Target:
    """A register a mapped table feeds."""

    code: str
    label: str
    sheet: Sheet
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # field → unit code the register keeps
    whole: frozenset[str] = frozenset()  # fields whose converted value must be a whole number
    value_maps: dict[str, str] = field(default_factory=dict)  # field → STATUS | ref kind

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.sheet.columns

    def column(self, name: str) -> Column:
        return self.sheet.column(name)

    def unit(self, name: str) -> Unit | None:
        code = self.units.get(name)
        return UNIT_BY_CODE[code] if code else None

    @property
    def required(self) -> list[Column]:
        return [c for c in self.sheet.columns if c.required]


STACK_TARGET = Target(
    "stack",
    "Zásobník projektů",
    STACK,
    synonyms={
        "number": (
            "p c",
            "c",
            "cislo",
            "poradove cislo",
            "por c",
            "poradi",
            "id",
            "no",
            "nr",
            "number",
            "item",
            "c projektu",
            "cislo projektu",
            "kod",
        ),
        "area_text": (
            "oblast",
            "tema",
            "tematicka oblast",
            "area",
            "theme",
            "topic",
            "sektor",
            "oblast tema",
            "pilir",
        ),
        "name": (
            "projekt opatreni",
            "projekt",
            "nazev",
            "nazev projektu",
            "opatreni",
            "project",
            "name",
            "title",
            "zamer",
            "nazev zameru",
            "projektovy zamer",
            "akce",
        ),
        "description": ("popis", "description", "anotace", "obsah", "popis projektu", "cil"),
        "status": ("stav", "status", "faze", "stav projektu", "state", "stadium", "stav pripravy"),
        "finance_mil": (
            "finance",
            "naklady",
            "rozpocet",
            "odhad nakladu",
            "cena",
            "budget",
            "cost",
            "costs",
            "financni narocnost",
            "celkove naklady",
            "castka",
            "predpokladane naklady",
            "odhadovane naklady",
        ),
        "duration_years": (
            "doba realizace",
            "doba",
            "delka",
            "trvani",
            "duration",
            "doba trvani",
            "delka realizace",
            "realizace",
        ),
        "guarantor": (
            "garant",
            "odbor",
            "gestor",
            "odpovedny odbor",
            "guarantor",
            "department",
            "zodpovida",
            "odpovednost",
            "garantujici odbor",
            "odbor garanta",
        ),
        "flagship": ("fishe", "fiche", "vlajkovy projekt", "flagship", "karta projektu"),
        "note": ("poznamka", "poznamky", "note", "notes", "komentar", "remark", "pozn"),
    },
    units={"finance_mil": "mil_kc", "duration_years": "years"},
    whole=frozenset({"duration_years"}),
    value_maps={"status": STATUS, "guarantor": "departments"},
)
INDICATORS_TARGET = Target(
    "indicators",
    "Indikátory",
    INDICATORS,
    synonyms={
        "number": ("c", "cislo", "cislo indikatoru", "id", "no", "number", "poradi", "kod"),
        "name": ("nazev", "indikator", "nazev indikatoru", "name", "indicator", "title"),
        "project": ("projekt", "vlajkovy projekt", "project", "cislo projektu"),
        "description": ("popis", "description", "anotace"),
        "target_state": ("cilovy stav", "cil", "target", "target state"),
        "data_source": ("zdroj dat", "zdroj", "data source", "source"),
        "methodology": ("metodika", "metoda", "methodology", "zpusob vypoctu"),
        "frequency": ("frekvence", "periodicita", "frequency", "cetnost"),
        "responsible_department": ("odpovedny odbor", "odbor", "department", "garant"),
        "responsible_person": ("odpovedna osoba", "osoba", "kontakt", "person"),
        "weight": ("vaha", "weight"),
    },
    value_maps={"responsible_department": "departments"},
)
ACTIVITIES_TARGET = Target(
    "activities",
    "Aktivity",
    ACTIVITIES,
    synonyms={
        "project": ("projekt", "vlajkovy projekt", "c projektu", "cislo projektu", "project"),
        "number": ("aktivita", "c aktivity", "cislo aktivity", "activity", "activity no"),
        "part": ("cast", "dilci krok", "krok", "part", "step"),
        "description": (
            "popis",
            "popis aktivity",
            "nazev aktivity",
            "description",
            "nazev",
            "cinnost",
        ),
        "expected_outputs": ("ocekavane vystupy", "vystupy", "vystup", "outputs"),
        "timing_text": ("casova narocnost", "harmonogram", "termin", "timing", "casovy plan"),
        "timing_from": ("od roku", "od", "zacatek", "from", "start"),
        "timing_to": ("do roku", "do", "konec", "to", "end"),
        "continuous": ("kontinualne", "prubezne", "continuous"),
        "cost_min": ("odhad nakladu od", "naklady od", "cost min", "minimum", "naklady min"),
        "cost_max": (
            "odhad nakladu do",
            "naklady do",
            "cost max",
            "maximum",
            "naklady max",
            "naklady",
            "odhad nakladu",
            "rozpocet",
            "cost",
        ),
        "cost_note": ("poznamka k odhadu", "poznamka", "note"),
        "funding_sources": ("financni zdroje", "zdroje", "zdroj financovani", "funding"),
    },
    units={"cost_min": "kc", "cost_max": "kc"},
)
MEASUREMENTS_TARGET = Target(
    "measurements",
    "Měření",
    MEASUREMENTS,
    synonyms={
        "sub_indicator": (
            "dilci indikator",
            "indikator",
            "kod",
            "kod indikatoru",
            "code",
            "indicator",
            "sub indicator",
        ),
        "period_start": ("obdobi od", "od", "from", "zacatek obdobi", "period start"),
        "date": ("datum", "date", "ke dni", "k datu", "obdobi do", "do", "konec obdobi"),
        "value": ("hodnota", "value", "namereno", "namerena hodnota", "skutecnost", "vysledek"),
        "status": ("stav", "status", "stav hodnoty"),
        "note": ("poznamka", "note", "komentar"),
        "reason": ("duvod zmeny", "duvod", "reason"),
    },
)
SUB_INDICATORS_TARGET = Target(
    "sub_indicators",
    "Dílčí indikátory",
    SUB_INDICATORS,
    synonyms={
        "code": ("kod", "cislo", "code", "id"),
        "indicator": ("indikator", "cislo indikatoru", "indicator"),
        "name": ("nazev", "name", "dilci indikator"),
        "unit": ("jednotka", "unit", "mj", "merna jednotka"),
        "baseline_value": ("vychozi hodnota", "baseline", "vychozi stav"),
        "target_value": ("cilova hodnota", "target", "cil"),
    },
)

TARGETS: dict[str, Target] = {
    t.code: t
    for t in (
        STACK_TARGET,
        INDICATORS_TARGET,
        ACTIVITIES_TARGET,
        MEASUREMENTS_TARGET,
        SUB_INDICATORS_TARGET,
    )
}
