"""Catalogue records in the JSON-LD form of DCAT-AP-CZ 2024-05-28 ("DCAT-AP Dokumenty").

Pure functions: facts in, a JSON-ready dict out. Every node the harvester keeps gets an
IRI made only from the instance address, the plan's slug, the dataset's slug and the
format, so harvesting twice yields the same graph (no blank nodes, no dates of the run).

    catalogue   {base}/lkod/katalog
    dataset     {base}/lkod/datove-sady/{plan}/{dataset}
    distribution  …/{dataset}/distribuce/{format}
    contact point, temporal coverage, conditions of use: fragments of their owner's IRI
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from smartplan.lkod import vocabulary as v

Texts = dict[str, str]  # language -> text


@dataclass(frozen=True)
class Contact:
    name: Texts
    email: str = ""


@dataclass(frozen=True)
class Terms:
    """The four parts of the conditions of use (IRIs) and the author for licences."""

    author_work: str
    database_work: str
    database_right: str
    personal_data: str
    author: Texts = field(default_factory=dict)


@dataclass(frozen=True)
class DistributionFacts:
    format: str  # the short name in addresses: csv, json, xlsx
    title: Texts
    file_type_iri: str
    media_type: str
    download_url: str
    schema_url: str = ""


@dataclass(frozen=True)
class DatasetFacts:
    plan_slug: str
    slug: str
    title: Texts
    description: Texts
    keywords: dict[str, list[str]]
    themes: Sequence[str]
    periodicity_iri: str
    publisher_iri: str
    ruian_iris: Sequence[str]
    terms: Terms
    distributions: Sequence[DistributionFacts]
    contact: Contact | None = None
    legal_acts: Sequence[str] = ()
    documentation_url: str = ""
    period: tuple[str, str] | None = None  # ISO dates of the coverage's start and end


@dataclass(frozen=True)
class CatalogueFacts:
    title: Texts
    description: Texts
    publisher_iri: str
    dataset_iris: Sequence[str]
    homepage: str = ""
    contact: Contact | None = None


def catalogue_iri(base: str) -> str:
    return f"{base}/lkod/katalog"


def dataset_iri(base: str, plan_slug: str, dataset_slug: str) -> str:
    return f"{base}/lkod/datove-sady/{plan_slug}/{dataset_slug}"


def distribution_iri(base: str, plan_slug: str, dataset_slug: str, fmt: str) -> str:
    return f"{dataset_iri(base, plan_slug, dataset_slug)}/distribuce/{fmt}"


def _contact(contact: Contact, owner_iri: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "iri": f"{owner_iri}#kontaktni-bod",
        "typ": v.TYPE_ORGANISATION,
        "jméno": dict(contact.name),
    }
    if contact.email:
        record["e-mail"] = f"mailto:{contact.email}"
    return record


def catalogue_record(facts: CatalogueFacts, *, base: str) -> dict[str, Any]:
    """The catalogue (dcat:Catalog) pointing at every dataset's IRI."""
    iri = catalogue_iri(base)
    record: dict[str, Any] = {
        "@context": v.CONTEXT_URL,
        "iri": iri,
        "typ": v.TYPE_CATALOGUE,
        "název": dict(facts.title),
        "popis": dict(facts.description),
        "poskytovatel": facts.publisher_iri,
    }
    if facts.contact is not None:
        record["kontaktní_bod"] = _contact(facts.contact, iri)
    if facts.homepage:
        record["domovská_stránka"] = facts.homepage
    record["datová_sada"] = list(facts.dataset_iris)
    return record


def _terms(terms: Terms, owner_iri: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "iri": f"{owner_iri}#podminky-uziti",
        "typ": v.TYPE_TERMS,
        "autorské_dílo": terms.author_work,
    }
    if terms.author and terms.author_work in v.LICENCES_WITH_AUTHOR:
        record["autor"] = dict(terms.author)
    record["databáze_jako_autorské_dílo"] = terms.database_work
    if terms.author and terms.database_work in v.LICENCES_WITH_AUTHOR:
        record["autor_databáze"] = dict(terms.author)
    record["databáze_chráněná_zvláštními_právy"] = terms.database_right
    record["osobní_údaje"] = terms.personal_data
    return record


def distribution_record(
    facts: DatasetFacts, distribution: DistributionFacts, *, base: str
) -> dict[str, Any]:
    """A file to download (dcat:Distribution) with its conditions of use."""
    iri = distribution_iri(base, facts.plan_slug, facts.slug, distribution.format)
    record: dict[str, Any] = {
        "iri": iri,
        "typ": v.TYPE_DISTRIBUTION,
        "název": dict(distribution.title),
        "podmínky_užití": _terms(facts.terms, iri),
        # For a file, the standard wants the access URL equal to the download URL.
        "přístupové_url": distribution.download_url,
        "soubor_ke_stažení": distribution.download_url,
        "formát": distribution.file_type_iri,
        "typ_média": v.media_type_iri(distribution.media_type),
    }
    if distribution.schema_url:
        record["schéma"] = distribution.schema_url
    if facts.legal_acts:
        record["právní_předpis"] = list(facts.legal_acts)
    return record


def dataset_record(facts: DatasetFacts, *, base: str) -> dict[str, Any]:
    """The complete record of one dataset, its distributions included, as NKOD reads it
    from the dataset's IRI."""
    iri = dataset_iri(base, facts.plan_slug, facts.slug)
    record: dict[str, Any] = {
        "@context": v.CONTEXT_URL,
        "iri": iri,
        "typ": v.TYPE_DATASET,
        "název": dict(facts.title),
        "popis": dict(facts.description),
        "poskytovatel": facts.publisher_iri,
        "téma": list(facts.themes),
        "periodicita_aktualizace": facts.periodicity_iri,
        "klíčové_slovo": {lang: list(words) for lang, words in facts.keywords.items()},
        "prvek_rúian": list(facts.ruian_iris),
    }
    if facts.period is not None:
        record["časové_pokrytí"] = {
            "iri": f"{iri}#casove-pokryti",
            "typ": v.TYPE_PERIOD,
            "začátek": facts.period[0],
            "konec": facts.period[1],
        }
    if facts.contact is not None:
        record["kontaktní_bod"] = _contact(facts.contact, iri)
    if facts.documentation_url:
        record["dokumentace"] = facts.documentation_url
    if facts.legal_acts:
        record["právní_předpis"] = list(facts.legal_acts)
    record["distribuce"] = [distribution_record(facts, d, base=base) for d in facts.distributions]
    return record
