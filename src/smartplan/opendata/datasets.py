"""The dataset registry: every public register of a plan as an open dataset.

This module is the contract between the open data downloads (this app), the portal's open
data pages and the DCAT-AP-CZ catalogue (``smartplan.lkod``). It is declarative: one
:class:`Dataset` per register, each with its columns, and nothing here touches a request.

The API (all keyword-free, all cheap unless said otherwise):

``datasets() -> tuple[Dataset, ...]``
    Every dataset, in a stable display order.
``dataset(key) -> Dataset``
    One dataset by its key; ``KeyError`` when there is none (views turn that into 404).
``plan_datasets(plan) -> tuple[Dataset, ...]``
    The datasets a plan publishes: all of them when ``plan.published``, none otherwise
    (a private plan has no open data). No query.
``published_plans() -> QuerySet[Plan]``
    The plans whose data is open (what the catalogue lists).
``distributions(plan, key) -> tuple[Distribution, ...]``
    CSV, JSON and XLSX descriptors of one dataset of one plan: format, media type, its
    IANA IRI, the EU file-type IRI, the download path (relative to the site root; prefix it
    with ``settings.BASE_URL`` = ``SMARTPLAN_BASE_URL`` for an IRI) and, for CSV, the path
    of its CSV on the Web metadata (the distribution's ``schéma`` / ``dct:conformsTo``).
``dataset_modified(plan, key) -> datetime | None``
    When the dataset's rows last changed: the newest ``updated_at`` of its rows (one
    aggregate query per register the dataset reads) or of the plan itself. Deleting a row
    does not move it back; a deletion is noticed at the next change.
``Dataset.rows(plan) -> Iterator[tuple]``
    The rows straight from the database cursor (``values_list`` + ``iterator``, no model
    instances), as Python values matching the columns: ``str``, ``int``, ``Decimal``,
    ``date``, ``bool`` or ``None`` (empty). Formatting for a file is the writers' business
    (:mod:`smartplan.opendata.writers`; on SQLite the CSV's lines are written by SQLite
    itself, :mod:`smartplan.opendata.sql_csv`, the same bytes).
``Dataset.keyed_rows(rows) -> Iterator[(key, tuple)]``
    Some of the dataset's rows (a queryset of its model) with their primary keys,
    converted as ``rows`` converts them.
``Dataset.row_count(plan) -> int``
    One ``COUNT`` query.

Each :class:`Dataset` carries: ``key`` (a stable Czech slug, part of every address and
catalogue IRI: never rename one), ``title`` / ``description`` / ``keywords`` as
:class:`Text` pairs (``.cs``, ``.en``), ``themes`` (EU data-theme IRIs), ``eurovoc``
(EuroVoc concept IRIs; may be empty), ``periodicity`` (an EU frequency IRI),
``columns`` (:class:`Column`: ``name``, ``title`` cs/en, ``datatype`` as a CSVW built-in
datatype name with ``datatype_iri`` the XSD IRI, ``required``, ``description`` cs/en) and
``primary_key`` (column names; empty when rows have no natural key).

Privacy: people's names are public (they act for the plan in public roles); their e-mail
and phone leave the database only for people marked ``Person.publish_contact`` - the choice
is made in SQL (``Case``/``When``), so no writer can forget it.

Values are exported exactly as stored, including text starting with ``=``, ``+``, ``-`` or
``@``: open data must stay faithful. The XLSX writer stores every text cell as text, never
as a formula, which is where the spreadsheet-injection risk lies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Case, CharField, F, Max, Model, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.urls import reverse
from django.utils import translation

from smartplan.governance.models import Decision
from smartplan.indicators.models import Frequency, Indicator, Measurement, SubIndicator
from smartplan.organisations.models import Person
from smartplan.partnerships.models import SurveyedMunicipality
from smartplan.plans.models import Plan
from smartplan.projects.models import Activity, ActivityFulfilment, FlagshipProject
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem, StackStatus

XSD = "http://www.w3.org/2001/XMLSchema#"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"

# The CSVW built-in datatypes this registry uses (their XSD names).
DATATYPES = frozenset({"string", "integer", "decimal", "date", "boolean", "anyURI"})


@dataclass(frozen=True)
class Text:
    """A text in Czech and English."""

    cs: str
    en: str


@dataclass(frozen=True)
class Column:
    """A column of a dataset. ``source`` is what ``values_list`` selects (a field path or an
    expression); ``convert`` turns the database value into the exported one."""

    name: str
    title: Text
    datatype: str
    source: str | Combinable
    required: bool = False
    description: Text = Text("", "")
    convert: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.datatype not in DATATYPES:
            raise ValueError(f"Unknown datatype {self.datatype!r} of column {self.name!r}")

    @property
    def datatype_iri(self) -> str:
        return XSD + self.datatype


@dataclass(frozen=True)
class Dataset:
    """One public register of a plan as an open dataset (see the module docstring)."""

    key: str
    title: Text
    description: Text
    keywords: tuple[Text, ...]
    themes: tuple[str, ...]
    periodicity: str
    columns: tuple[Column, ...]
    model: type[Model]
    order_by: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    eurovoc: tuple[str, ...] = ()
    # Further registers whose changes change this dataset (for dataset_modified).
    also_modified_by: tuple[type[Model], ...] = field(default=())
    # A filter narrowing the plan's rows (e.g. published measurements only).
    row_filter: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    # The path from a row to its plan. A row's plan is its parent's (PlanScoped.plan_parent),
    # so a register ordered by its parent's column can name the plan through the parent:
    # the database then reads the parent's index in that order (no sort of every row
    # before the first one).
    plan_path: str = "plan"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def queryset(self, plan: Plan) -> QuerySet[Any]:
        rows: QuerySet[Any] = self.model._default_manager.filter(**{self.plan_path: plan})
        if self.row_filter is not None:
            rows = self.row_filter(rows)
        return rows

    def rows(self, plan: Plan, *, chunk_size: int = 2000) -> Iterator[tuple[Any, ...]]:
        """The rows from the cursor, converted; nothing is held beyond one chunk."""
        sources = [column.source for column in self.columns]
        values = self.queryset(plan).order_by(*self.order_by).values_list(*sources)
        return self._converted(values.iterator(chunk_size=chunk_size))

    def keyed_rows(self, rows: QuerySet[Any]) -> Iterator[tuple[Any, tuple[Any, ...]]]:
        """(primary key, row) of each of ``rows`` (some of this dataset's rows, in their
        order), the row converted as :meth:`rows` converts it: for a writer that lets the
        database write most rows and Python a few."""
        sources = [column.source for column in self.columns]
        for row in self._converted(rows.values_list(*sources, "pk").iterator()):
            yield row[-1], row[:-1]

    def _converted(self, values: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        converters = [(i, c.convert) for i, c in enumerate(self.columns) if c.convert]
        for row in values:
            if converters:
                out = list(row)
                for index, convert in converters:
                    out[index] = convert(out[index])
                yield tuple(out)
            else:
                yield row

    def row_count(self, plan: Plan) -> int:
        return self.queryset(plan).count()


@dataclass(frozen=True)
class Distribution:
    """One downloadable form of a dataset of a plan."""

    format: str  # "csv", "json", "xlsx"
    title: Text
    media_type: str
    media_type_iri: str
    file_type_iri: str
    download_path: str
    schema_path: str | None  # the CSV on the Web metadata, for CSV only


FORMATS: dict[str, tuple[Text, str, str]] = {
    "csv": (Text("CSV", "CSV"), "text/csv", "CSV"),
    "json": (Text("JSON", "JSON"), "application/json", "JSON"),
    "xlsx": (
        Text("Excel (XLSX)", "Excel (XLSX)"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
}


def _public(email_or_phone: str, person: str) -> Case:
    """The contact value only for a person marked as a public contact; empty otherwise."""
    return Case(
        When(**{f"{person}__publish_contact": True}, then=F(f"{person}__{email_or_phone}")),
        default=Value(""),
        output_field=CharField(),
    )


class ChoiceLabel:
    """A column's converter giving the Czech label of a choice (open data is in Czech
    whatever the request's language); a value that is no choice is written as it is.
    A class rather than a closure so that a writer can read the labels
    (:mod:`smartplan.opendata.sql_csv` writes them in SQL)."""

    def __init__(self, choices: Any) -> None:
        self.choices = choices
        self._czech: dict[Any, str] = {}

    def labels(self) -> dict[Any, str]:
        """Each choice's Czech label, by stored value."""
        if not self._czech:
            with translation.override("cs"):
                self._czech.update((key, str(label)) for key, label in self.choices)
        return self._czech

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        return self.labels().get(value, str(value))


def _label(choices: Any) -> ChoiceLabel:
    return ChoiceLabel(choices)


def empty_to_none(value: Any) -> Any:
    """A text column's converter: no text is no value (``null`` in JSON, empty in CSV)."""
    return value if value not in ("", None) else None


def _text(name: str, cs: str, en: str, source: str | Combinable, **kwargs: Any) -> Column:
    kwargs.setdefault("convert", empty_to_none)
    return Column(name, Text(cs, en), "string", source, **kwargs)


def _col(name: str, cs: str, en: str, datatype: str, source: str | Combinable, **kw: Any) -> Column:
    return Column(name, Text(cs, en), datatype, source, **kw)


def _contact_columns(prefix: str, person: str, cs: str, en: str) -> tuple[Column, ...]:
    return (
        _text(f"{prefix}_jmeno", cs, en, f"{person}__name"),
        _text(
            f"{prefix}_email",
            f"{cs} – e-mail",
            f"{en} – e-mail",
            _public("email", person),
            description=Text(
                "Jen u osob, které souhlasily se zveřejněním kontaktu.",
                "Only for people who agreed to publish their contact.",
            ),
        ),
        _text(
            f"{prefix}_telefon",
            f"{cs} – telefon",
            f"{en} – phone",
            _public("phone", person),
            description=Text(
                "Jen u osob, které souhlasily se zveřejněním kontaktu.",
                "Only for people who agreed to publish their contact.",
            ),
        ),
    )


PLAN_KEYWORDS = (Text("akční plán", "action plan"), Text("chytrý region", "smart region"))

_DATASETS: tuple[Dataset, ...] = (
    Dataset(
        key="projekty",
        title=Text("Vlajkové projekty akčního plánu", "Flagship projects of the action plan"),
        description=Text(
            "Vlajkové projekty akčního plánu: název, oblast, garant, realizátor, "
            "kontaktní osoby a popis.",
            "The action plan's flagship projects: name, area, guarantor, implementer, "
            "contact people and description.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("projekty", "projects")),
        themes=(THEME + "GOVE", THEME + "REGI"),
        periodicity=FREQUENCY + "ANNUAL",
        model=FlagshipProject,
        order_by=("number",),
        primary_key=("cislo",),
        also_modified_by=(Person,),
        columns=(
            _col("cislo", "Číslo", "Number", "integer", "number", required=True),
            _text("nazev", "Název", "Name", "name", required=True),
            _text("podtitul", "Podtitul", "Subtitle", "subtitle"),
            _text("oblast", "Oblast", "Area", "area__name", required=True),
            _text("garant", "Garant (útvar)", "Guarantor (department)", "guarantor__name"),
            _text("realizator", "Realizátor", "Implementer", "implementer__name"),
            _text("realizator_ico", "IČO realizátora", "Implementer's ID", "implementer__ico"),
            *_contact_columns(
                "kontakt_garanta", "guarantor_contact", "Kontakt garanta", "Guarantor's contact"
            ),
            *_contact_columns(
                "kontakt_realizatora",
                "implementer_contact",
                "Kontakt realizátora",
                "Implementer's contact",
            ),
            _text("popis", "Popis", "Description", "description"),
            _col(
                "koordinovan",
                "Koordinován akčním plánem",
                "Coordinated by the plan",
                "boolean",
                "coordinated",
                required=True,
            ),
            _text("financovani", "Financování", "Financing", "financing_note"),
        ),
    ),
    Dataset(
        key="aktivity",
        title=Text("Aktivity vlajkových projektů", "Activities of the flagship projects"),
        description=Text(
            "Aktivity vlajkových projektů s načasováním v kalendářních letech a odhadem "
            "nákladů v Kč; čerpání po letech je v datové sadě „cerpani“.",
            "Activities of the flagship projects with their timing in calendar years and "
            "cost estimate in CZK; spending per year is in the dataset “cerpani”.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("aktivity", "activities"), Text("rozpočet", "budget")),
        themes=(THEME + "GOVE", THEME + "ECON"),
        periodicity=FREQUENCY + "ANNUAL",
        model=Activity,
        order_by=("project__number", "number", "part"),
        columns=(
            _col(
                "projekt_cislo",
                "Číslo projektu",
                "Project number",
                "integer",
                "project__number",
                required=True,
            ),
            _col("cislo", "Číslo aktivity", "Activity number", "integer", "number", required=True),
            _text(
                "cast",
                "Část",
                "Part",
                "part",
                description=Text(
                    "Dílčí krok jednoho čísla, např. AD1; jinak prázdné.",
                    "A sub-step of one number, e.g. AD1; empty otherwise.",
                ),
            ),
            _text("popis", "Popis", "Description", "description", required=True),
            _text("vystupy", "Očekávané výstupy", "Expected outputs", "expected_outputs"),
            _text(
                "nacasovani", "Načasování (jak je uvedeno)", "Timing (as written)", "timing_text"
            ),
            _col(
                "rok_od",
                "Od roku",
                "From year",
                "integer",
                F("timing_from") + F("plan__period_from") - 1,
            ),
            _col(
                "rok_do",
                "Do roku",
                "To year",
                "integer",
                F("timing_to") + F("plan__period_from") - 1,
            ),
            _col("prubezna", "Průběžná", "Continuous", "boolean", "continuous", required=True),
            _col("naklady_od", "Náklady od (Kč)", "Cost from (CZK)", "decimal", "cost_min"),
            _col("naklady_do", "Náklady do (Kč)", "Cost to (CZK)", "decimal", "cost_max"),
            _text("naklady_poznamka", "Poznámka k nákladům", "Cost note", "cost_note"),
        ),
    ),
    Dataset(
        key="cerpani",
        title=Text(
            "Plnění a čerpání aktivit po letech", "Activity fulfilment and spending per year"
        ),
        description=Text(
            "Za každou aktivitu a rok dosažené výstupy a vyčerpané prostředky v Kč.",
            "For each activity and year the outputs achieved and the money spent in CZK.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("čerpání", "spending"), Text("rozpočet", "budget")),
        themes=(THEME + "GOVE", THEME + "ECON"),
        periodicity=FREQUENCY + "ANNUAL",
        model=ActivityFulfilment,
        order_by=("activity__project__number", "activity__number", "activity__part", "year"),
        columns=(
            _col(
                "projekt_cislo",
                "Číslo projektu",
                "Project number",
                "integer",
                "activity__project__number",
                required=True,
            ),
            _col(
                "aktivita_cislo",
                "Číslo aktivity",
                "Activity number",
                "integer",
                "activity__number",
                required=True,
            ),
            _text("aktivita_cast", "Část aktivity", "Activity part", "activity__part"),
            _col("rok", "Rok", "Year", "integer", "year", required=True),
            _text("vystupy", "Dosažené výstupy", "Outputs achieved", "outputs"),
            _col("vycerpano", "Vyčerpáno (Kč)", "Spent (CZK)", "decimal", "spent"),
        ),
    ),
    Dataset(
        key="indikatory",
        title=Text("Indikátory a jejich cílové hodnoty", "Indicators and their targets"),
        description=Text(
            "Indikátory akčního plánu po dílčích indikátorech: jednotka, výchozí a cílová "
            "hodnota, zdroj dat, metodika, četnost a odpovědný subjekt.",
            "The plan's indicators by sub-indicator: unit, baseline and target, data "
            "source, methodology, frequency and responsible body.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("indikátory", "indicators"), Text("cíle", "targets")),
        themes=(THEME + "GOVE",),
        periodicity=FREQUENCY + "ANNUAL",
        model=SubIndicator,
        order_by=("indicator__number", "code"),
        primary_key=("kod",),
        also_modified_by=(Indicator,),
        columns=(
            _col(
                "indikator_cislo",
                "Číslo indikátoru",
                "Indicator number",
                "integer",
                "indicator__number",
                required=True,
            ),
            _text("indikator_nazev", "Indikátor", "Indicator", "indicator__name", required=True),
            _text("kod", "Kód", "Code", "code", required=True),
            _text("nazev", "Dílčí indikátor", "Sub-indicator", "name", required=True),
            _text("jednotka", "Jednotka", "Unit", "unit"),
            _text(
                "smer",
                "Žádoucí směr",
                "Desired direction",
                "direction",
                description=Text("up = růst, down = pokles", "up = increase, down = decrease"),
            ),
            _col("vychozi_hodnota", "Výchozí hodnota", "Baseline", "decimal", "baseline_value"),
            _col(
                "vychozi_datum", "Datum výchozí hodnoty", "Baseline date", "date", "baseline_date"
            ),
            _col("cilova_hodnota", "Cílová hodnota", "Target value", "decimal", "target_value"),
            _col("cilove_datum", "Datum cíle", "Target date", "date", "target_date"),
            _col(
                "cil_je_zmena",
                "Cíl je změna proti výchozí hodnotě",
                "Target is a change from the baseline",
                "boolean",
                "target_is_relative",
                required=True,
            ),
            _text("cil_text", "Cíl (jak je uveden)", "Target (as written)", "target_text"),
            _text("zdroj_dat", "Zdroj dat", "Data source", "indicator__data_source"),
            _text("metodika", "Metodika", "Methodology", "indicator__methodology"),
            _text(
                "cetnost",
                "Četnost",
                "Frequency",
                "indicator__frequency",
                convert=_label(Frequency.choices),
            ),
            _text(
                "odpovedny_subjekt",
                "Odpovědný subjekt",
                "Responsible body",
                "indicator__responsible_organisation__name",
            ),
        ),
    ),
    Dataset(
        key="mereni",
        title=Text("Naměřené hodnoty indikátorů", "Measured indicator values"),
        description=Text(
            "Naměřené hodnoty dílčích indikátorů k datu nebo za období končící tímto dnem, "
            "se stavem (předběžná / konečná). Hodnoty počítané vzorcem nejsou zahrnuty.",
            "Measured values of the sub-indicators at a date or for a period ending on "
            "it, with their state (provisional / final). Values computed by formulas are "
            "not included.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("indikátory", "indicators"), Text("měření", "measurements")),
        themes=(THEME + "GOVE",),
        periodicity=FREQUENCY + "IRREG",
        model=Measurement,
        order_by=("sub_indicator__code", "date"),
        # The sub-indicators of the plan in code order, each one's values in date order
        # (two indexes, no sort: the first row leaves at once even with a million rows).
        plan_path="sub_indicator__plan",
        primary_key=("kod", "datum"),
        columns=(
            _text(
                "kod",
                "Kód dílčího indikátoru",
                "Sub-indicator code",
                "sub_indicator__code",
                required=True,
            ),
            _col("obdobi_od", "Období od", "Period from", "date", "period_start"),
            _col(
                "datum",
                "Datum",
                "Date",
                "date",
                "date",
                required=True,
                description=Text(
                    "Datum hodnoty nebo konec období.",
                    "The date of the value or the end of the period.",
                ),
            ),
            _col("hodnota", "Hodnota", "Value", "decimal", "value", required=True),
            _text(
                "stav",
                "Stav",
                "State",
                "status",
                required=True,
                description=Text(
                    "provisional = předběžná, final = konečná", "provisional or final"
                ),
            ),
            _text("poznamka", "Poznámka", "Note", "note"),
        ),
    ),
    Dataset(
        key="zasobnik",
        title=Text("Zásobník projektů", "Project stack"),
        description=Text(
            "Zásobník projektů a opatření: oblast, stav, odhad financí v mil. Kč, doba "
            "trvání, garant a vazba na vlajkový projekt.",
            "The stack of projects and measures: area, status, estimated finance in "
            "millions of CZK, duration, guarantor and flagship project.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("zásobník projektů", "project stack")),
        themes=(THEME + "GOVE", THEME + "REGI"),
        periodicity=FREQUENCY + "IRREG",
        model=StackItem,
        order_by=("number",),
        primary_key=("cislo",),
        columns=(
            _col("cislo", "Číslo", "Number", "integer", "number", required=True),
            _text("oblast", "Oblast", "Area", "area__name", required=True),
            _text("nazev", "Projekt / opatření", "Project / measure", "name", required=True),
            _text("popis", "Popis", "Description", "description"),
            _col(
                "stav",
                "Stav (kód)",
                "Status (code)",
                "integer",
                "status",
                required=True,
                description=Text(
                    "1 běžící, 2 rozpracované, 3 vhodné k rozpracování, 4 nápady",
                    "1 running, 2 in preparation, 3 suitable for elaboration, 4 ideas",
                ),
            ),
            _text("stav_nazev", "Stav", "Status", "status", convert=_label(StackStatus.choices)),
            _col(
                "finance_mil_kc",
                "Finance (mil. Kč)",
                "Finance (mil. CZK)",
                "decimal",
                "finance_mil",
            ),
            _text(
                "finance_text", "Finance (jak jsou uvedeny)", "Finance (as written)", "finance_text"
            ),
            _col("doba_let", "Doba trvání (roky)", "Duration (years)", "integer", "duration_years"),
            _text("garant", "Garant", "Guarantor", "guarantor__name"),
            _col(
                "vlajkovy_projekt",
                "Vlajkový projekt (číslo)",
                "Flagship project (number)",
                "integer",
                "flagship__number",
            ),
            _col("rok_pridani", "Rok přidání", "Year added", "integer", "year_added"),
            _text("poznamka", "Poznámka", "Note", "note"),
        ),
    ),
    Dataset(
        key="zdroje",
        title=Text("Databáze zdrojů", "Resource database"),
        description=Text(
            "Odkazy na dokumenty, studie a zdroje inspirace k oblastem a projektům plánu.",
            "Links to documents, studies and sources of inspiration for the plan's areas "
            "and projects.",
        ),
        keywords=(*PLAN_KEYWORDS, Text("zdroje", "resources"), Text("odkazy", "links")),
        themes=(THEME + "GOVE", THEME + "EDUC"),
        periodicity=FREQUENCY + "IRREG",
        model=Resource,
        order_by=("-added_on", "title", "id"),
        columns=(
            _text("nazev", "Název", "Title", "title", required=True),
            _col("odkaz", "Odkaz", "Link", "anyURI", "url", required=True),
            _text("oblast", "Oblast", "Area", "area__name"),
            _col(
                "vlajkovy_projekt",
                "Vlajkový projekt (číslo)",
                "Flagship project (number)",
                "integer",
                "flagship__number",
            ),
            _text("popis", "Popis", "Description", "description"),
            _col("pridano", "Přidáno", "Added", "date", "added_on", required=True),
        ),
    ),
    Dataset(
        key="obce",
        title=Text("Oslovené obce", "Surveyed municipalities"),
        description=Text(
            "Obce oslovené v průzkumu chytrých projektů a zájmu o spolupráci.",
            "Municipalities surveyed about their smart projects and interest in cooperation.",
        ),
        keywords=(
            *PLAN_KEYWORDS,
            Text("obce", "municipalities"),
            Text("spolupráce", "cooperation"),
        ),
        themes=(THEME + "REGI",),
        periodicity=FREQUENCY + "IRREG",
        model=SurveyedMunicipality,
        order_by=("organisation__name", "id"),
        columns=(
            _text("obec", "Obec", "Municipality", "organisation__name", required=True),
            _text("ico", "IČO", "Company ID", "organisation__ico"),
            _col(
                "osloveno",
                "Osloveno",
                "Surveyed",
                "date",
                "surveyed_on",
                description=Text(
                    "Přesnost data udává sloupec presnost_data.",
                    "The column presnost_data tells the precision of the date.",
                ),
            ),
            _text("presnost_data", "Přesnost data", "Date precision", "surveyed_on_precision"),
            _text("poznamka", "Poznámka", "Note", "note"),
        ),
    ),
    Dataset(
        key="rozhodnuti",
        title=Text("Rozhodnutí řídicí skupiny", "Steering group decisions"),
        description=Text(
            "Usnesení řídicí skupiny akčního plánu: číslo, jednání, text, odpovědnost, "
            "termín a stav plnění.",
            "Decisions of the plan's steering group: number, meeting, text, who is "
            "responsible, deadline and state.",
        ),
        keywords=(
            *PLAN_KEYWORDS,
            Text("řídicí skupina", "steering group"),
            Text("usnesení", "decisions"),
        ),
        themes=(THEME + "GOVE",),
        periodicity=FREQUENCY + "IRREG",
        model=Decision,
        order_by=("meeting__date", "number"),
        primary_key=("cislo",),
        columns=(
            _text("cislo", "Číslo", "Number", "number", required=True),
            _col(
                "jednani_datum",
                "Datum jednání",
                "Meeting date",
                "date",
                "meeting__date",
                required=True,
            ),
            _text("jednani", "Jednání", "Meeting", "meeting__title", required=True),
            _text("text", "Text", "Text", "text", required=True),
            _text("odpovida", "Odpovídá", "Responsible", "responsible__name"),
            _text(
                "odpovida_organizace",
                "Odpovědná organizace",
                "Responsible organisation",
                "responsible_organisation__name",
            ),
            _col("termin", "Termín", "Deadline", "date", "deadline"),
            _text(
                "stav",
                "Stav",
                "State",
                "state",
                required=True,
                description=Text(
                    "open, in_progress, done, cancelled", "open, in_progress, done, cancelled"
                ),
            ),
        ),
    ),
)

_BY_KEY = {item.key: item for item in _DATASETS}


def datasets() -> tuple[Dataset, ...]:
    """Every dataset of the registry, in display order."""
    return _DATASETS


def dataset(key: str) -> Dataset:
    """The dataset with this key; ``KeyError`` when there is none."""
    return _BY_KEY[key]


def plan_datasets(plan: Plan) -> tuple[Dataset, ...]:
    """The datasets a plan publishes: every one for a published plan, none otherwise."""
    return _DATASETS if plan.published else ()


def published_plans() -> QuerySet[Plan]:
    """The plans whose registers are open data."""
    return Plan.objects.filter(published=True)


def distributions(plan: Plan, key: str) -> tuple[Distribution, ...]:
    """The downloadable forms of one dataset of one plan (no query)."""
    dataset(key)  # KeyError for an unknown dataset
    out = []
    for fmt, (title, media_type, file_type) in FORMATS.items():
        kwargs = {"plan_slug": plan.slug, "dataset": key}
        out.append(
            Distribution(
                format=fmt,
                title=title,
                media_type=media_type,
                media_type_iri=IANA + media_type,
                file_type_iri=FILE_TYPE + file_type,
                download_path=reverse(f"opendata:{fmt}", kwargs=kwargs),
                schema_path=reverse("opendata:csv_metadata", kwargs=kwargs)
                if fmt == "csv"
                else None,
            )
        )
    return tuple(out)


def dataset_modified(plan: Plan, key: str) -> datetime | None:
    """When the dataset last changed: the newest ``updated_at`` of its rows or the plan's."""
    item = dataset(key)
    stamps: list[datetime] = [plan.updated_at] if plan.updated_at else []
    for model in (item.model, *item.also_modified_by):
        newest = model._default_manager.filter(plan=plan).aggregate(newest=Max("updated_at"))
        if newest["newest"] is not None:
            stamps.append(newest["newest"])
    return max(stamps, default=None)


__all__ = [
    "Column",
    "Dataset",
    "Distribution",
    "Text",
    "dataset",
    "dataset_modified",
    "datasets",
    "distributions",
    "plan_datasets",
    "published_datasets_count",
    "published_plans",
]


def published_datasets_count(plan: Plan) -> int:
    """How many datasets the plan publishes (the formula function ``datasets()``)."""
    return len(plan_datasets(plan))
