"""The registers of a plan as workbook sheets, in import order (a sheet refers only to
sheets before it). Headers are the Czech labels users know; natural keys identify rows, so
importing the same workbook twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model

from smartplan.access.models import PlanRole, Role
from smartplan.core.dates import DatePrecision
from smartplan.exchange.columns import Column, Sheet, joined
from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.indicators.models import Frequency, Indicator, Measurement, SubIndicator
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.organisations.models import Department, Organisation, Person
from smartplan.partnerships.models import (
    Award,
    CommunicationActivity,
    MunicipalProject,
    ProjectIdea,
    SurveyedMunicipality,
)
from smartplan.plans.models import Approval, Area, SpecificGoal, StrategicGoal
from smartplan.projects.models import (
    Activity,
    ActivityCost,
    ActivityFulfilment,
    FlagshipProject,
    FundingSource,
    ProjectStatusReport,
)
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem

STATUS_LEGEND = (
    "1 Běžící, nepotřebují rozpracování; 2 Rozpracované, čeká se na finance, prioritu, "
    "příležitost; 3 Projekty vhodné k rozpracování; 4 Zásobník nápadů a námětů."
)
MONEY = "#,##0.00"
MILLIONS = "#,##0.0##"
NUMBER = "#,##0.####"
DATE = "d. m. yyyy"


def _name(attr: str) -> Any:
    def get(obj: Any) -> Any:
        related = getattr(obj, attr)
        return None if related is None else _display_key(related)

    return get


def _display_key(obj: Any) -> Any:
    if isinstance(obj, AbstractBaseUser):
        return obj.get_username()
    if isinstance(obj, Organisation):
        return obj.short_name
    if isinstance(obj, FlagshipProject | Indicator):
        return obj.number
    if isinstance(obj, StrategicGoal):
        return obj.code
    if isinstance(obj, SpecificGoal | SubIndicator | FundingSource | ObservationSeries):
        return obj.code
    if isinstance(obj, Meeting):
        return obj.title
    if isinstance(obj, SteeringGroupMember):
        return obj.role
    if isinstance(obj, SurveyedMunicipality):
        return obj.organisation.short_name
    return obj.name


def _many(attr: str) -> Any:
    def get(obj: Any) -> Any:
        return joined(sorted(_display_key(o) for o in getattr(obj, attr).all()))

    return get


def _choices(choices: Any) -> tuple[tuple[Any, str], ...]:
    return tuple((value, str(label)) for value, label in choices)


PRECISION = _choices(DatePrecision.choices)


def text(header: str, field: str, help: str = "", **kw: Any) -> Column:
    return Column(header, field, "text", help, **kw)


def ref(header: str, field: str, target: str, help: str = "", **kw: Any) -> Column:
    return Column(header, field, "ref", help, ref=target, export=_name(field), **kw)


def refs(header: str, field: str, target: str, help: str = "", **kw: Any) -> Column:
    return Column(header, field, "refs", help, ref=target, export=_many(field), **kw)


ORGANISATIONS = Sheet(
    "Organizace",
    Organisation,
    ("short_name",),
    (
        text(
            "Zkratka",
            "short_name",
            "Krátký název, jímž na organizaci odkazují ostatní listy.",
            required=True,
        ),
        text("Název", "name", "Celý název.", required=True),
        text("IČO", "ico", "Osm číslic."),
        Column(
            "Druh",
            "kind",
            "choice",
            "Kraj, obec, firma, škola…",
            choices=_choices(Organisation.Kind.choices),
        ),
        text("Web", "website"),
    ),
    "Organizace, které plán zmiňuje (kraj, nositelé projektů, oslovená města).",
    order_by=("short_name",),
)
DEPARTMENTS = Sheet(
    "Odbory",
    Department,
    ("organisation", "name"),
    (
        text("Název", "name", "Název odboru, oddělení nebo resortu.", required=True),
        ref("Organizace", "organisation", "organisations", "Zkratka organizace.", required=True),
        text("Zkratka", "short_name"),
        Column("Druh", "kind", "choice", choices=_choices(Department.Kind.choices)),
    ),
    "Odbory a další útvary organizací.",
    order_by=("name",),
    select_related=("organisation",),
)
PEOPLE = Sheet(
    "Osoby",
    Person,
    ("name",),
    (
        text(
            "Jméno", "name", "Jméno a příjmení; jím na osobu odkazují ostatní listy.", required=True
        ),
        text("Funkce", "function"),
        ref("Organizace", "organisation", "organisations"),
        ref("Odbor", "department", "departments"),
        text("E-mail", "email"),
        text("Telefon", "phone"),
        Column("Kontakt lze zveřejnit", "publish_contact", "bool", "ano / ne"),
    ),
    "Osoby uvedené v plánu.",
    order_by=("name",),
    select_related=("organisation", "department"),
)
STRATEGIC_GOALS = Sheet(
    "Strategické cíle",
    StrategicGoal,
    ("code",),
    (
        Column("Číslo", "code", "int", "1, 2, 3…", required=True),
        text("Název", "name", required=True),
        text("Popis", "description"),
    ),
    "Strategické cíle koncepce (Zrychlit, Ušetřit, Zlepšit).",
    order_by=("code",),
)
SPECIFIC_GOALS = Sheet(
    "Specifické cíle",
    SpecificGoal,
    ("code",),
    (
        text("Číslo", "code", "Ve tvaru 2.1.", required=True),
        ref(
            "Strategický cíl",
            "strategic_goal",
            "strategic_goals",
            "Číslo strategického cíle.",
            required=True,
        ),
        text("Znění", "text", required=True),
    ),
    "Specifické cíle pod strategickými cíli.",
    order_by=("code",),
    select_related=("strategic_goal",),
)
AREAS = Sheet(
    "Oblasti",
    Area,
    ("name",),
    (
        text("Název", "name", required=True),
        text("Zkratka", "short_name"),
        Column("Pořadí", "order", "int"),
    ),
    "Tematické oblasti plánu.",
    order_by=("order", "name"),
)
FUNDING = Sheet(
    "Finanční zdroje",
    FundingSource,
    ("code",),
    (text("Kód", "code", required=True), text("Název", "name", required=True)),
    "Zdroje financování (rozpočet kraje, operační programy…).",
    order_by=("code",),
)
APPROVALS = Sheet(
    "Schválení",
    Approval,
    ("body", "date"),
    (
        text("Orgán", "body", required=True),
        Column("Datum", "date", "date", required=True, number_format=DATE),
        text("Číslo usnesení", "resolution_number"),
        text("Poznámka", "note"),
    ),
    "Schválení plánu radou a zastupitelstvem.",
    order_by=("date", "body"),
)
PROJECTS = Sheet(
    "Vlajkové projekty",
    FlagshipProject,
    ("number",),
    (
        Column("Číslo", "number", "int", required=True),
        text("Název", "name", required=True),
        text("Podtitul", "subtitle"),
        ref("Oblast", "area", "areas", required=True),
        refs("Strategické cíle", "strategic_goals", "strategic_goals", "Čísla oddělená čárkou."),
        ref("Garant", "guarantor", "departments", "Odbor garanta."),
        ref("Kontakt garanta", "guarantor_contact", "people"),
        ref("Nositel", "implementer", "organisations", "Zkratka organizace."),
        ref("Odbor nositele", "implementer_department", "departments"),
        ref("Kontakt nositele", "implementer_contact", "people"),
        ref("Odpovědný člen rady", "council_member", "people"),
        text("Resort člena rady", "council_portfolio"),
        text("Popis", "description", "Body popisu oddělené prázdným řádkem."),
        Column("Koordinováno v rámci plánu", "coordinated", "bool"),
        text("Proč nekoordinováno", "not_coordinated_reason"),
        text("Financování", "financing_note"),
        refs("Finanční zdroje", "funding_sources", "funding", "Kódy oddělené čárkou."),
    ),
    "Vlajkové projekty akčního plánu (karty projektů).",
    order_by=("number",),
    select_related=(
        "area",
        "guarantor",
        "guarantor_contact",
        "implementer",
        "implementer_department",
        "implementer_contact",
        "council_member",
    ),
    prefetch_related=("strategic_goals", "funding_sources"),
)
STATUS_REPORTS = Sheet(
    "Stavy projektů",
    ProjectStatusReport,
    ("project", "year", "quarter"),
    (
        ref("Projekt", "project", "projects", "Číslo vlajkového projektu.", required=True),
        Column("Rok", "year", "int", required=True),
        Column("Čtvrtletí", "quarter", "int", "1–4; prázdné pro celý rok."),
        text("Stav přípravy", "preparation_status", required=True),
        text("Plánované činnosti na další rok", "planned_activities"),
    ),
    "Stav přípravy projektů za rok nebo čtvrtletí.",
    order_by=("project__number", "year", "quarter"),
    select_related=("project",),
)
ACTIVITY_KEY = (
    ref("Projekt", "project", "projects", "Číslo vlajkového projektu.", required=True),
    Column("Aktivita", "number", "int", required=True),
    text("Část", "part", "Dílčí krok, např. AD1."),
)
ACTIVITIES = Sheet(
    "Aktivity",
    Activity,
    ("project", "number", "part"),
    (
        *ACTIVITY_KEY,
        text("Popis", "description", required=True),
        text("Očekávané výstupy", "expected_outputs"),
        text("Časová náročnost", "timing_text"),
        Column("Od roku plánu", "timing_from", "int"),
        Column("Do roku plánu", "timing_to", "int"),
        Column("Kontinuálně", "continuous", "bool"),
        Column("Odhad nákladů od (Kč)", "cost_min", "decimal", number_format=MONEY),
        Column("Odhad nákladů do (Kč)", "cost_max", "decimal", number_format=MONEY),
        text("Poznámka k odhadu", "cost_note"),
        refs("Finanční zdroje", "funding_sources", "funding"),
    ),
    "Aktivity vlajkových projektů.",
    order_by=("project__number", "number", "part"),
    select_related=("project",),
    prefetch_related=("funding_sources",),
)


def _activity_number(obj: Any) -> Any:
    return obj.activity.number


def _activity_part(obj: Any) -> Any:
    return obj.activity.part or None


def _activity_project(obj: Any) -> Any:
    return obj.activity.project.number


ACTIVITY_REF = (
    Column(
        "Projekt",
        "activity_project",
        "int",
        "Číslo vlajkového projektu.",
        required=True,
        export=_activity_project,
    ),
    Column("Aktivita", "activity_number", "int", required=True, export=_activity_number),
    Column("Část", "activity_part", "text", export=_activity_part),
)
FULFILMENT = Sheet(
    "Finanční plnění",
    ActivityFulfilment,
    ("activity", "year"),
    (
        *ACTIVITY_REF,
        Column("Rok", "year", "int", required=True),
        text("Dosažené výstupy", "outputs"),
        Column("Vynaloženo (Kč)", "spent", "decimal", number_format=MONEY),
    ),
    "Plnění aktivit v jednotlivých letech: výstupy a vynaložené peníze.",
    order_by=("activity__project__number", "activity__number", "activity__part", "year"),
    select_related=("activity__project",),
)
COSTS = Sheet(
    "Doložené náklady",
    ActivityCost,
    ("activity", "description"),
    (
        *ACTIVITY_REF,
        text("Popis", "description", required=True),
        Column("Částka (Kč)", "amount", "decimal", required=True, number_format=MONEY),
        Column("Včetně DPH", "vat_included", "bool"),
        text("Poznámka", "note"),
    ),
    "Doložené náklady u aktivit (např. projektová dokumentace).",
    order_by=("activity__project__number", "activity__number", "activity__part", "description"),
    select_related=("activity__project",),
)
SERIES = Sheet(
    "Časové řady",
    ObservationSeries,
    ("code",),
    (
        text("Kód", "code", required=True),
        text("Název", "name", required=True),
        text("Jednotka", "unit", required=True),
        text("Sledovaný objekt", "subject"),
        ref("Projekt", "project", "projects"),
        text("Popis", "description"),
    ),
    "Řady surových dat za indikátory (např. spotřeba energie budovy).",
    order_by=("code",),
    select_related=("project",),
)
OBSERVATIONS = Sheet(
    "Pozorování",
    Observation,
    ("series", "period_start", "period_end"),
    (
        ref("Řada", "series", "series", required=True),
        Column("Od", "period_start", "date", required=True, number_format=DATE),
        Column("Do", "period_end", "date", required=True, number_format=DATE),
        Column("Hodnota", "value", "decimal", required=True, number_format=NUMBER),
        text("Zdroj údaje", "source"),
    ),
    "Hodnoty časových řad za období.",
    order_by=("series__code", "period_start", "period_end"),
    select_related=("series",),
)
INDICATORS = Sheet(
    "Indikátory",
    Indicator,
    ("number",),
    (
        Column("Číslo", "number", "int", required=True),
        text("Název", "name", required=True),
        ref("Projekt", "project", "projects", "Číslo vlajkového projektu."),
        refs("Strategické cíle", "strategic_goals", "strategic_goals"),
        ref("Specifický cíl", "specific_goal", "specific_goals"),
        text("Poznámka ke specifickému cíli", "specific_goal_note"),
        text("Popis", "description"),
        text("Úvod k dalším možným indikátorům", "future_indicators_intro"),
        text("Další možné indikátory", "future_indicators", "Jeden na řádek."),
        text("Cílový stav", "target_state"),
        text("Zdroj dat", "data_source"),
        text("Metodika", "methodology"),
        Column("Frekvence", "frequency", "choice", choices=_choices(Frequency.choices)),
        text("Frekvence (znění)", "frequency_text"),
        ref("Odpovědná instituce", "responsible_organisation", "organisations"),
        ref("Odpovědný odbor", "responsible_department", "departments"),
        ref("Odpovědná osoba", "responsible_person", "people"),
        Column("Aktualizace", "last_update", "date", number_format=DATE),
        Column("Váha", "weight", "decimal", number_format=NUMBER),
    ),
    "Indikátory (karty přílohy 1).",
    order_by=("number",),
    select_related=(
        "project",
        "specific_goal",
        "responsible_organisation",
        "responsible_department",
        "responsible_person",
    ),
    prefetch_related=("strategic_goals",),
)
SUB_INDICATORS = Sheet(
    "Dílčí indikátory",
    SubIndicator,
    ("code",),
    (
        text("Kód", "code", "Např. 1.2.", required=True),
        ref("Indikátor", "indicator", "indicators", "Číslo indikátoru.", required=True),
        text("Název", "name", required=True),
        text("Popis", "description"),
        Column("Druh", "kind", "choice", choices=_choices(SubIndicator.Kind.choices)),
        text("Jednotka", "unit"),
        Column("Směr", "direction", "choice", choices=_choices(SubIndicator.Direction.choices)),
        Column(
            "Kombinace hodnot",
            "aggregation",
            "choice",
            choices=_choices(SubIndicator.Aggregation.choices),
        ),
        Column("Výchozí hodnota", "baseline_value", "decimal", number_format=NUMBER),
        Column("Datum výchozí hodnoty", "baseline_date", "date", number_format=DATE),
        Column("Cílová hodnota", "target_value", "decimal", number_format=NUMBER),
        Column("Cílové datum", "target_date", "date", number_format=DATE),
        Column("Cíl je změna", "target_is_relative", "bool"),
        text("Cíl (znění)", "target_text"),
        Column("Váha", "weight", "decimal", number_format=NUMBER),
        Column("Zdroj hodnot", "source", "choice", choices=_choices(SubIndicator.Source.choices)),
        text("Vzorec", "formula"),
        ref("Časová řada", "observation_series", "series"),
        Column(
            "Metoda pozorování",
            "observation_method",
            "choice",
            choices=_choices(SubIndicator.ObservationMethod.choices),
        ),
        Column("Výchozí rok pozorování", "observation_baseline_year", "int"),
    ),
    "Dílčí indikátory s výchozími a cílovými hodnotami.",
    order_by=("code",),
    select_related=("indicator", "observation_series"),
)


def _nothing(obj: Any) -> Any:
    return None


MEASUREMENTS = Sheet(
    "Měření",
    Measurement,
    ("sub_indicator", "date", "period_start"),
    (
        ref(
            "Dílčí indikátor",
            "sub_indicator",
            "sub_indicators",
            "Kód dílčího indikátoru.",
            required=True,
        ),
        Column("Období od", "period_start", "date", number_format=DATE),
        Column(
            "Datum",
            "date",
            "date",
            "Datum hodnoty nebo konec období.",
            required=True,
            number_format=DATE,
        ),
        Column("Hodnota", "value", "decimal", required=True, number_format=NUMBER),
        Column(
            "Stav", "status", "choice", choices=(("provisional", "předběžná"), ("final", "konečná"))
        ),
        text("Poznámka", "note"),
        # Not stored on the value: a change of a final value keeps its reason in the history.
        text(
            "Důvod změny",
            "reason",
            "Proč se mění konečná hodnota (stará se uchová v historii).",
            export=_nothing,
        ),
    ),
    "Naměřené hodnoty dílčích indikátorů.",
    order_by=("sub_indicator__code", "date", "period_start"),
    select_related=("sub_indicator",),
)


def _stack_area_text(item: Any) -> Any:
    return item.area_label or item.area.name


def _stack_finance(item: Any) -> Any:
    return float(item.finance_mil) if item.finance_mil is not None else (item.finance_text or None)


def _stack_duration(item: Any) -> Any:
    return item.duration_years if item.duration_years is not None else (item.duration_text or None)


def _stack_flagship(item: Any) -> Any:
    return item.flagship.name.upper() if item.flagship else None


# The seed's Appendix 2 columns, exactly; what they cannot hold is on the next sheet.
STACK = Sheet(
    "Zásobník projektů",
    StackItem,
    ("number",),
    (
        Column("P.č.", "number", "int", "Pořadové číslo.", required=True),
        Column(
            "Oblast",
            "area_text",
            "text",
            "Oblast nebo téma, jak je v tabulce.",
            required=True,
            export=_stack_area_text,
        ),
        text("Projekt / opatření", "name", required=True),
        text("Popis", "description"),
        Column(
            "Stav",
            "status",
            "int",
            STATUS_LEGEND,
            required=True,
        ),
        Column(
            "Finance (mil. Kč)",
            "finance_mil",
            "decimal",
            "Číslo v milionech Kč; text se uloží jako poznámka ke sloupci.",
            number_format=MILLIONS,
            export=_stack_finance,
        ),
        Column(
            "Doba realizace (roky)",
            "duration_years",
            "int",
            "Počet let; text se uloží jako poznámka ke sloupci.",
            export=_stack_duration,
        ),
        ref("Garant", "guarantor", "departments", "Odbor garanta."),
        Column(
            "Fishe",
            "flagship",
            "ref",
            "Vlajkový projekt (název).",
            ref="projects_by_name",
            export=_stack_flagship,
        ),
        text("Poznámka", "note"),
    ),
    "Zásobník projektů a nápadů (příloha 2), sloupce přesně podle výroční zprávy.",
    order_by=("number",),
    select_related=("area", "guarantor", "flagship"),
)
STACK_EXTRA = Sheet(
    "Zásobník – doplňky",
    StackItem,
    ("number",),
    (
        Column("P.č.", "number", "int", required=True),
        ref("Oblast v evidenci", "area", "areas", "Oblast plánu, když sloupec Oblast uvádí téma."),
        Column("Rok přidání", "year_added", "int", "Prázdné u položek původního plánu."),
        text("Vývoj", "progress_note"),
    ),
    "Údaje položek zásobníku, které tabulka výroční zprávy nemá.",
    order_by=("number",),
    select_related=("area",),
)
RESOURCES = Sheet(
    "Databáze zdrojů",
    Resource,
    ("url",),
    (
        text("Adresa", "url", required=True),
        text("Název", "title", required=True),
        ref("Oblast", "area", "areas", required=True),
        ref("Vlajkový projekt", "flagship", "projects"),
        text("Popis", "description"),
        Column("Přidáno", "added_on", "date", required=True, number_format=DATE),
    ),
    "Databáze zdrojů SMART: odkazy na inspiraci.",
    order_by=("area__order", "title", "url"),
    select_related=("area", "flagship"),
)
MUNICIPALITIES = Sheet(
    "Oslovené obce",
    SurveyedMunicipality,
    ("organisation",),
    (
        ref("Obec", "organisation", "organisations", "Zkratka organizace obce.", required=True),
        Column("Osloveno", "surveyed_on", "date", number_format=DATE),
        Column("Přesnost data", "surveyed_on_precision", "choice", choices=PRECISION),
        text("Poznámka", "note"),
    ),
    "Obce oslovené kvůli jejich SMART projektům.",
    order_by=("organisation__short_name",),
    select_related=("organisation",),
)
MUNICIPAL_PROJECTS = Sheet(
    "Projekty obcí",
    MunicipalProject,
    ("municipality", "name"),
    (
        ref("Obec", "municipality", "municipalities", required=True),
        text("Název", "name", required=True),
        ref("Oblast", "area", "areas"),
        text("Popis", "description"),
        text("Stav", "state"),
    ),
    "SMART projekty oslovených obcí.",
    order_by=("municipality__organisation__short_name", "name"),
    select_related=("municipality__organisation", "area"),
)
COMMUNICATION = Sheet(
    "Komunikace",
    CommunicationActivity,
    ("title", "date"),
    (
        text("Název", "title", required=True),
        Column("Datum", "date", "date", number_format=DATE),
        Column("Přesnost data", "date_precision", "choice", choices=PRECISION),
        Column(
            "Kanál",
            "channel",
            "choice",
            choices=_choices(CommunicationActivity.Channel.choices),
            required=True,
        ),
        text("Odkaz", "url"),
        text("Popis", "description"),
    ),
    "Komunikace tématu: tiskové zprávy, sítě, konference.",
    order_by=("date", "title"),
)
AWARDS = Sheet(
    "Ocenění",
    Award,
    ("competition", "category"),
    (
        text("Soutěž", "competition", required=True),
        text("Kategorie", "category"),
        Column("Rok", "year", "int", required=True),
        Column("Umístění", "place", "int"),
        text("Odkaz", "url"),
        text("Popis", "description"),
    ),
    "Ocenění plánu.",
    order_by=("year", "competition", "category"),
)
IDEAS = Sheet(
    "Náměty",
    ProjectIdea,
    ("title",),
    (
        text("Název", "title", required=True),
        ref("Oblast", "area", "areas"),
        ref("Projednáno s", "proposed_with", "organisations"),
        Column("Rok", "year", "int", required=True),
        text("Popis", "description"),
        text("Další krok", "next_step"),
    ),
    "Náměty na nové projekty.",
    order_by=("year", "title"),
    select_related=("area", "proposed_with"),
)
MEMBERS = Sheet(
    "Řídící skupina",
    SteeringGroupMember,
    ("role",),
    (
        text("Role", "role", required=True),
        ref("Osoba", "person", "people"),
        ref("Organizace", "organisation", "organisations"),
        Column("Pořadí", "order", "int"),
        Column("Členem od", "active_from", "date", number_format=DATE),
        Column("Členem do", "active_to", "date", number_format=DATE),
    ),
    "Členové řídící skupiny.",
    order_by=("order", "role"),
    select_related=("person", "organisation"),
)
MEETINGS = Sheet(
    "Jednání",
    Meeting,
    ("title",),
    (
        text("Název", "title", required=True),
        Column("Datum", "date", "date", required=True, number_format=DATE),
        Column("Přesnost data", "date_precision", "choice", choices=PRECISION),
        text("Datum (znění)", "date_text"),
        text("Program", "agenda"),
        text("Zápis", "minutes"),
        refs("Přítomní", "attendees", "members", "Role členů oddělené čárkou."),
    ),
    "Jednání řídící skupiny.",
    order_by=("date", "title"),
    prefetch_related=("attendees",),
)
DECISIONS = Sheet(
    "Rozhodnutí",
    Decision,
    ("number",),
    (
        text("Číslo", "number", required=True),
        ref("Jednání", "meeting", "meetings", "Název jednání.", required=True),
        text("Znění", "text", required=True),
        ref("Odpovídá", "responsible", "people"),
        ref("Odpovídá organizace", "responsible_organisation", "organisations"),
        Column("Termín", "deadline", "date", number_format=DATE),
        Column("Stav", "state", "choice", choices=_choices(Decision.State.choices)),
    ),
    "Rozhodnutí řídící skupiny a jejich plnění.",
    order_by=("number",),
    select_related=("meeting", "responsible", "responsible_organisation"),
)

# The roles' Czech names are what the sheet shows and reads (the English codes are read too).
ROLE_NAMES = (
    (Role.COORDINATOR.value, "koordinátor"),
    (Role.GUARANTOR.value, "garant"),
    (Role.PROVIDER.value, "poskytovatel dat"),
    (Role.STEERING.value, "člen řídicí skupiny"),
)
ROLES = Sheet(
    "Role",
    PlanRole,
    ("user", "role"),
    (
        ref(
            "Uživatel",
            "user",
            "users",
            "Přihlašovací jméno nebo e-mail existujícího účtu.",
            required=True,
        ),
        Column(
            "Role",
            "role",
            "choice",
            "koordinátor, garant, poskytovatel dat, člen řídicí skupiny",
            choices=ROLE_NAMES,
            required=True,
        ),
        refs("Projekty", "projects", "projects", "Garant: čísla jeho vlajkových projektů."),
        refs(
            "Dílčí indikátory",
            "sub_indicators",
            "sub_indicators",
            "Poskytovatel dat: kódy dílčích indikátorů, jejichž hodnoty zadává.",
        ),
    ),
    "Kdo smí co: koordinátor celý plán, garant své projekty, poskytovatel dat hodnoty svých "
    "dílčích indikátorů, člen řídicí skupiny čte vše a zapisuje rozhodnutí.",
    order_by=("user__username", "role"),
    select_related=("user",),
    prefetch_related=("projects", "sub_indicators"),
)

SHEETS: tuple[Sheet, ...] = (
    ORGANISATIONS, DEPARTMENTS, PEOPLE, STRATEGIC_GOALS, SPECIFIC_GOALS, AREAS, FUNDING,
    APPROVALS, PROJECTS, STATUS_REPORTS, ACTIVITIES, FULFILMENT, COSTS, SERIES, OBSERVATIONS,
    INDICATORS, SUB_INDICATORS, MEASUREMENTS, STACK, STACK_EXTRA, RESOURCES, MUNICIPALITIES,
    MUNICIPAL_PROJECTS, COMMUNICATION, AWARDS, IDEAS, MEMBERS, MEETINGS, DECISIONS, ROLES,
)  # fmt: skip

# Which register each reference kind points to, and the field that names its rows.
REF_TARGETS: dict[str, tuple[type[Model], str]] = {
    "organisations": (Organisation, "short_name"),
    "departments": (Department, "name"),
    "people": (Person, "name"),
    "strategic_goals": (StrategicGoal, "code"),
    "specific_goals": (SpecificGoal, "code"),
    "areas": (Area, "name"),
    "funding": (FundingSource, "code"),
    "projects": (FlagshipProject, "number"),
    "projects_by_name": (FlagshipProject, "name"),
    "series": (ObservationSeries, "code"),
    "indicators": (Indicator, "number"),
    "sub_indicators": (SubIndicator, "code"),
    "municipalities": (SurveyedMunicipality, "organisation__short_name"),
    "members": (SteeringGroupMember, "role"),
    "meetings": (Meeting, "title"),
    # Accounts are the instance's, not the plan's: found by login name or e-mail.
    "users": (get_user_model(), "username"),
}


def sheet_for_model(model: type[Model]) -> Sheet | None:
    """The sheet of a register, for exporting it alone from its list."""
    return next((sheet for sheet in SHEETS if sheet.model is model), None)
