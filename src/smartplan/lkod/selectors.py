"""Reads for the catalogue: the published plans with what DCAT-AP-CZ needs of them.

A plan enters the catalogue when it is published and its owner has an IČO (the publisher,
``poskytovatel``, is the owner's IRI in the Register of rights and duties). The datasets
of a plan come from ``opendata.datasets`` (its registry decides what is published); this
module only adds the plan's facts: publisher, RÚIAN territory, contact point, legal act,
conditions of use and the period covered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet

from smartplan.lkod import vocabulary as v
from smartplan.lkod.addresses import absolute, portal_url
from smartplan.lkod.records import (
    CatalogueFacts,
    Contact,
    DatasetFacts,
    DistributionFacts,
    Terms,
    catalogue_record,
    dataset_iri,
)
from smartplan.opendata import datasets as registry
from smartplan.organisations.models import Person
from smartplan.plans.models import Plan

CATALOGUE_TITLE = {
    "cs": "Katalog otevřených dat akčních plánů chytrého regionu",
    "en": "Open data catalogue of smart region action plans",
}
CATALOGUE_DESCRIPTION = {
    "cs": (
        "Otevřená data akčních plánů: vlajkové projekty, aktivity a jejich financování, "
        "indikátory a jejich měření, zásobník projektů, databáze zdrojů, oslovené obce "
        "a rozhodnutí řídicí skupiny."
    ),
    "en": (
        "Open data of the action plans: flagship projects, activities and their funding, "
        "indicators and their measurements, the project stack, the resource database, "
        "surveyed municipalities and decisions of the steering group."
    ),
}


@dataclass(frozen=True)
class PlanFacts:
    """What every dataset record of one plan shares."""

    plan: Plan
    publisher_iri: str
    ruian_iris: tuple[str, ...]
    terms: Terms
    contact: Contact | None
    legal_acts: tuple[str, ...]
    period: tuple[str, str]


def catalogue_plans() -> QuerySet[Plan]:
    """Published plans whose owner has an IČO, in a fixed order (by slug)."""
    return (
        registry.published_plans()
        .filter(owner__isnull=False)
        .exclude(owner__ico="")
        .select_related("owner")
        .order_by("slug")
    )


def plan_facts(plan: Plan) -> PlanFacts:
    """The catalogue facts of ``plan`` (its owner loaded with it)."""
    owner = plan.owner
    # catalogue_plans() gives only plans whose owner has an IČO.
    assert owner is not None
    contact = None
    if plan.open_data_contact_name or plan.open_data_contact_email:
        contact = Contact(
            name={"cs": plan.open_data_contact_name or owner.name},
            email=plan.open_data_contact_email,
        )
    return PlanFacts(
        plan=plan,
        publisher_iri=v.publisher_iri(owner.ico),
        ruian_iris=(plan.ruian_uri,),
        terms=Terms(
            author_work=plan.terms_author_work,
            database_work=plan.terms_database_work,
            database_right=plan.terms_database_right,
            personal_data=plan.terms_personal_data,
            author={"cs": owner.name},
        ),
        contact=contact,
        legal_acts=(plan.legal_act_iri,) if plan.legal_act_iri else (),
        period=(f"{plan.period_from}-01-01", f"{plan.period_to}-12-31"),
    )


def catalogue_facts(*, plans: list[Plan], dataset_iris: list[str]) -> CatalogueFacts:
    """The catalogue; an instance serves one region, so its publisher and contact point are
    those of its first plan (the oldest: adding a plan does not change them)."""
    first = min(plans, key=lambda plan: plan.pk) if plans else None
    facts = plan_facts(first) if first is not None else None
    return CatalogueFacts(
        title=CATALOGUE_TITLE,
        description=CATALOGUE_DESCRIPTION,
        publisher_iri=facts.publisher_iri if facts is not None else "",
        dataset_iris=dataset_iris,
        homepage=portal_url("portal:home"),
        contact=facts.contact if facts is not None else None,
    )


def names_people(item: registry.Dataset) -> bool:
    """Whether a column of the dataset reads a person (a name, e-mail or phone)."""
    for column in item.columns:
        if not isinstance(column.source, str):
            continue
        model: Any = item.model
        for part in column.source.split("__"):
            field = model._meta.get_field(part)
            if field.related_model is None:
                break
            model = field.related_model
            if model is Person:
                return True
    return False


def _personal_data(facts: PlanFacts, item: registry.Dataset) -> str:
    # The plan's answer is the ceiling: a dataset naming no one contains no personal data.
    if facts.terms.personal_data == Plan.PersonalData.CONTAINS and not names_people(item):
        return str(Plan.PersonalData.NONE)
    return facts.terms.personal_data


def plan_datasets(facts: PlanFacts) -> list[DatasetFacts]:
    """The catalogue facts of every dataset the plan publishes (no query)."""
    plan = facts.plan
    result = []
    for item in registry.plan_datasets(plan):
        distributions = [
            DistributionFacts(
                format=d.format,
                title={"cs": d.title.cs, "en": d.title.en},
                file_type_iri=d.file_type_iri,
                media_type=d.media_type,
                download_url=absolute(d.download_path),
                schema_url=absolute(d.schema_path) if d.schema_path else "",
            )
            for d in registry.distributions(plan, item.key)
        ]
        result.append(
            DatasetFacts(
                plan_slug=plan.slug,
                slug=item.key,
                # Several plans publish the same registers: the plan's name tells them apart.
                title={
                    "cs": f"{item.title.cs} – {plan.name}",
                    "en": f"{item.title.en} – {plan.name}",
                },
                description={"cs": item.description.cs, "en": item.description.en},
                keywords={
                    "cs": [k.cs for k in item.keywords],
                    "en": [k.en for k in item.keywords],
                },
                themes=[*item.themes, *item.eurovoc],
                periodicity_iri=item.periodicity,
                publisher_iri=facts.publisher_iri,
                ruian_iris=facts.ruian_iris,
                terms=replace(facts.terms, personal_data=_personal_data(facts, item)),
                distributions=distributions,
                contact=facts.contact,
                legal_acts=facts.legal_acts,
                documentation_url=portal_url(
                    "portal:dataset", plan_slug=plan.slug, dataset=item.key
                ),
                period=facts.period,
            )
        )
    return result


def catalogue_datasets(plans: list[Plan] | None = None) -> list[DatasetFacts]:
    """Every dataset of every plan in the catalogue (of ``plans`` when given, as
    :func:`catalogue_plans` gives them), in a fixed order."""
    result: list[DatasetFacts] = []
    for plan in catalogue_plans() if plans is None else plans:
        result.extend(plan_datasets(plan_facts(plan)))
    return result


def dataset_facts(*, plan_slug: str, dataset_slug: str) -> DatasetFacts | None:
    """One dataset of a plan in the catalogue; None when the plan or dataset is not there."""
    plan = catalogue_plans().filter(slug=plan_slug).first()
    if plan is None:
        return None
    for facts in plan_datasets(plan_facts(plan)):
        if facts.slug == dataset_slug:
            return facts
    return None


def catalogue_record_data(
    *, base: str, plans: list[Plan] | None = None, datasets: list[DatasetFacts] | None = None
) -> dict[str, Any]:
    """The catalogue record (JSON-LD) of ``plans`` listing ``datasets`` (by default every
    plan and dataset of the catalogue)."""
    plans = list(catalogue_plans()) if plans is None else plans
    if datasets is None:
        datasets = catalogue_datasets(plans)
    iris = [dataset_iri(base, d.plan_slug, d.slug) for d in datasets]
    return catalogue_record(catalogue_facts(plans=plans, dataset_iris=iris), base=base)
