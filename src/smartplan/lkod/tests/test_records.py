"""Records built from facts pass the standard's JSON Schemas and the SHACL shapes."""

import json

from rdflib import BNode

from smartplan.lkod.rdf_graph import records_graph
from smartplan.lkod.records import (
    CatalogueFacts,
    Contact,
    DatasetFacts,
    DistributionFacts,
    Terms,
    catalogue_record,
    dataset_iri,
    dataset_record,
)
from smartplan.lkod.tests.standards_check import (
    STANDARDS,
    datasets_without_mandatory_items,
    failed_ask_queries,
    schema_errors,
    shacl_violations,
)
from smartplan.lkod.vocabulary import CONTEXT_URL

BASE = "https://smartplan.example.cz"


def facts(**changes):
    values = {
        "plan_slug": "liberec-2020",
        "slug": "indikatory",
        "title": {"cs": "Indikátory", "en": "Indicators"},
        "description": {"cs": "Indikátory plánu.", "en": "The plan's indicators."},
        "keywords": {"cs": ["indikátory"], "en": ["indicators"]},
        "themes": ["http://publications.europa.eu/resource/authority/data-theme/GOVE"],
        "periodicity_iri": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
        "publisher_iri": "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70891508",
        "ruian_iris": ["https://linked.cuzk.cz/resource/ruian/vusc/78"],
        "terms": Terms(
            author_work="https://creativecommons.org/licenses/by/4.0/",
            database_work="https://data.gov.cz/podmínky-užití/není-autorskoprávně-chráněnou-databází/",
            database_right="https://data.gov.cz/podmínky-užití/není-chráněna-zvláštním-právem-pořizovatele-databáze/",
            personal_data="https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/",
            author={"cs": "Liberecký kraj"},
        ),
        "distributions": [
            DistributionFacts(
                format="csv",
                title={"cs": "CSV", "en": "CSV"},
                file_type_iri="http://publications.europa.eu/resource/authority/file-type/CSV",
                media_type="text/csv; charset=utf-8",
                download_url=f"{BASE}/data/liberec-2020/indikatory.csv",
                schema_url=f"{BASE}/data/liberec-2020/indikatory.csv-metadata.json",
            )
        ],
        "contact": Contact(name={"cs": "Odbor"}, email="data@example.cz"),
        "legal_acts": ["http://data.europa.eu/eli/dir/2019/1024/oj"],
        "documentation_url": f"{BASE}/liberec-2020/otevrena-data/indikatory/",
        "period": ("2020-01-01", "2022-12-31"),
    }
    values.update(changes)
    return DatasetFacts(**values)


def catalogue(dataset_iris):
    return catalogue_record(
        CatalogueFacts(
            title={"cs": "Katalog", "en": "Catalogue"},
            description={"cs": "Popis", "en": "Description"},
            publisher_iri="https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70891508",
            dataset_iris=dataset_iris,
            homepage=f"{BASE}/",
            contact=Contact(name={"cs": "Odbor"}, email="data@example.cz"),
        ),
        base=BASE,
    )


def test_the_harness_accepts_the_standards_own_examples_and_refuses_a_broken_one():
    example = json.loads((STANDARDS / "datová-sada.jsonld").read_text(encoding="utf-8"))
    assert schema_errors(example, "datová-sada.json") == []
    example_catalogue = json.loads((STANDARDS / "katalog.jsonld").read_text(encoding="utf-8"))
    assert schema_errors(example_catalogue, "katalog.json") == []
    del example["prvek_rúian"]
    example["klíčové_slovo"] = {"de": ["x"]}
    errors = schema_errors(example, "datová-sada.json")
    assert any("prvek_rúian" in e for e in errors)
    assert any("klíčové_slovo" in e for e in errors)  # the base type schema is resolved


def test_a_dataset_record_passes_the_json_schema():
    record = dataset_record(facts(), base=BASE)
    assert record["@context"] == CONTEXT_URL
    assert schema_errors(record, "datová-sada.json") == []


def test_a_dataset_without_a_ruian_element_or_with_an_http_iri_fails_the_schema():
    assert schema_errors(dataset_record(facts(ruian_iris=[]), base=BASE), "datová-sada.json") == []
    # An empty list is allowed by the schema, but the SPARQL check of mandatory items is not.
    graph = records_graph([dataset_record(facts(ruian_iris=[]), base=BASE)])
    assert datasets_without_mandatory_items(graph) == [
        dataset_iri(BASE, "liberec-2020", "indikatory")
    ]
    errors = schema_errors(
        dataset_record(facts(), base="http://127.0.0.1:8000"), "datová-sada.json"
    )
    assert any(e.startswith("iri:") for e in errors)


def test_a_catalogue_record_passes_the_json_schema():
    record = catalogue(["https://smartplan.example.cz/lkod/datove-sady/liberec-2020/indikatory"])
    assert schema_errors(record, "katalog.json") == []


def test_the_records_graph_passes_shacl_and_the_mandatory_items_query():
    dataset = dataset_record(facts(), base=BASE)
    graph = records_graph([catalogue([dataset["iri"]]), dataset])
    count, report = shacl_violations(graph)
    assert count == 0, report
    count, report = shacl_violations(graph, "catalog.shacl.ttl")
    assert count == 0, report
    assert datasets_without_mandatory_items(graph) == []


def test_the_ask_queries_notice_a_catalogue_without_an_rpp_publisher():
    record = catalogue(["https://smartplan.example.cz/lkod/datove-sady/liberec-2020/indikatory"])
    record["poskytovatel"] = "https://example.cz/poskytovatel"
    assert failed_ask_queries(records_graph([record])) == ["dataset-01.sparql", "katalog-06.sparql"]


def test_shacl_finds_a_dataset_without_a_description():
    dataset = dataset_record(facts(description={}), base=BASE)
    count, report = shacl_violations(records_graph([dataset]))
    assert count >= 1
    assert "description" in report


def test_the_graph_has_no_blank_nodes():
    dataset = dataset_record(facts(), base=BASE)
    graph = records_graph([catalogue([dataset["iri"]]), dataset])
    assert not [t for t in graph if any(isinstance(n, BNode) for n in t)]


def test_range_shapes_only_miss_the_types_of_terms_named_by_iri():
    """range.ttl wants the type of every object (dct:Frequency for a frequency, …).
    DCAT-AP-CZ names the EU and IANA vocabularies' terms, the publisher, web pages and the
    schema by IRI without their types, and its JSON Schema allows one type for the contact
    point (vcard:Organization, a vcard:Kind only by the vCard ontology). Those are the only
    results allowed; the dataset's own links (distribution, temporal coverage, conditions
    of use, the catalogue's datasets) are all in range."""
    from pyshacl import validate
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    dataset = dataset_record(facts(), base=BASE)
    graph = records_graph([catalogue([dataset["iri"]]), dataset])
    shapes = Graph().parse(STANDARDS / "range.ttl", format="turtle")
    _conforms, results, _text = validate(graph, shacl_graph=shapes, inference="none")
    components = set(results.objects(None, sh.sourceConstraintComponent))
    assert components == {sh.ClassConstraintComponent}
    paths = {
        str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in results.objects(None, sh.resultPath)
    }
    assert paths <= {
        "applicableLegislation",
        "accrualPeriodicity",
        "spatial",
        "mediaType",
        "format",
        "theme",
        "publisher",
        "homepage",
        "page",
        "conformsTo",
        "contactPoint",
    }
    assert "accrualPeriodicity" in paths  # the check runs
