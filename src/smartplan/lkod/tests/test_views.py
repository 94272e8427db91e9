"""The catalogue over HTTP: negotiation, CORS, caching, and a harvest that validates."""

import json
import socket

import pytest
from django.test import Client
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from smartplan.lkod.rdf_graph import records_graph
from smartplan.lkod.tests.standards_check import (
    datasets_without_mandatory_items,
    failed_ask_queries,
    schema_errors,
    shacl_violations,
)
from smartplan.lkod.vocabulary import CONTEXT_URL
from smartplan.opendata.datasets import datasets
from smartplan.plans.models import Plan

BASE = "https://smartplan.example.cz"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
PU = Namespace("https://data.gov.cz/slovník/podmínky-užití/")
LIBEREC = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70891508"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the catalogue must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def path_of(iri):
    assert iri.startswith(BASE)
    return iri[len(BASE) :]


def get_json(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def test_the_catalogue_is_json_ld_with_the_standards_context_and_cors(client, demo_plan):
    response = client.get("/lkod/katalog")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    record = json.loads(response.content)
    assert record["@context"] == CONTEXT_URL
    assert record["iri"] == f"{BASE}/lkod/katalog"
    assert record["poskytovatel"] == LIBEREC
    assert schema_errors(record, "katalog.json") == []
    expected = [f"{BASE}/lkod/datove-sady/liberec-2020/{d.key}" for d in datasets()]
    assert record["datová_sada"] == expected


def test_every_dataset_record_passes_the_json_schema_with_the_plans_facts(client, demo_plan):
    catalogue = get_json(client, "/lkod/katalog")
    for iri in catalogue["datová_sada"]:
        record = get_json(client, path_of(iri))
        assert record["@context"] == CONTEXT_URL
        assert record["iri"] == iri
        assert schema_errors(record, "datová-sada.json") == [], iri
        assert record["poskytovatel"] == LIBEREC
        assert record["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]
        assert record["klíčové_slovo"]["cs"]
        assert record["klíčové_slovo"]["en"]
        assert record["právní_předpis"] == ["http://data.europa.eu/eli/dir/2019/1024/oj"]
        assert record["kontaktní_bod"]["e-mail"] == "mailto:epodatelna@kraj-lbc.cz"
        formats = {d["iri"].rsplit("/", 1)[1]: d for d in record["distribuce"]}
        assert set(formats) == {"csv", "json", "xlsx"}
        assert formats["csv"]["schéma"].endswith(".csv-metadata.json")
        terms = formats["csv"]["podmínky_užití"]
        assert terms["autorské_dílo"] == "https://creativecommons.org/licenses/by/4.0/"
        assert terms["autor"] == {"cs": "Liberecký kraj"}


def test_personal_data_are_declared_where_a_dataset_names_people(client, demo_plan):
    def personal(key):
        record = get_json(client, f"/lkod/datove-sady/liberec-2020/{key}")
        return record["distribuce"][0]["podmínky_užití"]["osobní_údaje"]

    assert personal("projekty") == Plan.PersonalData.CONTAINS
    assert personal("cerpani") == Plan.PersonalData.NONE


def test_turtle_on_request_is_the_same_graph_as_the_json_ld(client, demo_plan, no_network):
    for path in ("/lkod/katalog", "/lkod/datove-sady/liberec-2020/indikatory"):
        as_json = json.loads(client.get(path).content)
        response = client.get(path, HTTP_ACCEPT="text/turtle")
        assert response["Content-Type"] == "text/turtle; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Accept" in response["Vary"]
        turtle = Graph().parse(data=response.content, format="turtle")
        assert len(turtle) > 5
        assert isomorphic(turtle, records_graph([as_json]))
    # A browser's Accept (HTML first, */* last) still gets the standard's JSON-LD.
    browser = "text/html,application/xhtml+xml,*/*;q=0.8"
    response = client.get("/lkod/katalog", HTTP_ACCEPT=browser)
    assert response["Content-Type"].startswith("application/ld+json")


def test_the_dump_passes_semic_dcat_ap_shapes_and_the_lkod_checks(client, demo_plan, no_network):
    response = client.get("/lkod/katalog.ttl")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.content, format="turtle")
    count, report = shacl_violations(graph)
    assert count == 0, report
    count, report = shacl_violations(graph, "catalog.shacl.ttl")
    assert count == 0, report
    assert datasets_without_mandatory_items(graph) == []
    assert failed_ask_queries(graph) == []
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == len(datasets())


def test_the_json_ld_records_read_with_the_local_context_pass_shacl(client, demo_plan, no_network):
    catalogue = get_json(client, "/lkod/katalog")
    records = [catalogue, *(get_json(client, path_of(i)) for i in catalogue["datová_sada"])]
    graph = records_graph(records)
    count, report = shacl_violations(graph)
    assert count == 0, report
    dump = Graph().parse(data=client.get("/lkod/katalog.ttl").content, format="turtle")
    assert isomorphic(graph, dump)


def test_a_harvester_reading_the_dump_downloads_every_distribution(client, demo_plan):
    graph = Graph().parse(data=client.get("/lkod/katalog.ttl").content, format="turtle")
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    found = list(graph.objects(catalogue, DCAT.dataset))
    assert len(found) == len(datasets())
    downloads = 0
    for dataset in found:
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = graph.value(distribution, DCAT.downloadURL)
            assert graph.value(distribution, DCAT.accessURL) == url
            media = str(graph.value(distribution, DCAT.mediaType)).rsplit("media-types/", 1)[1]
            response = client.get(path_of(str(url)))
            assert response.status_code == 200, url
            assert response["Content-Type"].split(";")[0] == media, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body
            schema = graph.value(distribution, DCT.conformsTo)
            if schema is not None:
                assert client.get(path_of(str(schema))).status_code == 200
            assert graph.value(distribution, PU.specifikace) is not None
            downloads += 1
    assert downloads == 3 * len(datasets())


def test_two_harvests_give_identical_graphs(client, demo_plan):
    first = client.get("/lkod/katalog.ttl").content
    second = client.get("/lkod/katalog.ttl").content
    assert first == second
    graph = Graph().parse(data=first, format="turtle")
    assert not [node for triple in graph for node in triple if isinstance(node, BNode)]


def test_distribution_iris_dereference(client, demo_plan):
    record = get_json(client, "/lkod/datove-sady/liberec-2020/zasobnik")
    for distribution in record["distribuce"]:
        own = get_json(client, path_of(distribution["iri"]))
        assert own == {"@context": CONTEXT_URL, **distribution}
    assert client.get("/lkod/datove-sady/liberec-2020/zasobnik/distribuce/pdf").status_code == 404


def test_a_private_plan_is_not_in_the_catalogue(client, demo_plan):
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    record = get_json(client, "/lkod/katalog")
    assert record["datová_sada"] == []
    assert client.get("/lkod/datove-sady/liberec-2020/projekty").status_code == 404
    assert client.get("/lkod/datove-sady/liberec-2020/projekty/distribuce/csv").status_code == 404


def test_a_plan_whose_owner_has_no_ico_is_left_out(client, demo_plan):
    demo_plan.owner.ico = ""
    demo_plan.owner.save()
    assert get_json(client, "/lkod/katalog")["datová_sada"] == []


def test_unknown_dataset_is_404(client, demo_plan):
    assert client.get("/lkod/datove-sady/liberec-2020/neni").status_code == 404
    assert client.get("/lkod/datove-sady/neni/projekty").status_code == 404


def test_etag_answers_conditional_requests_with_304(client, demo_plan):
    for path in ("/lkod/katalog", "/lkod/katalog.ttl", "/lkod/datove-sady/liberec-2020/obce"):
        response = client.get(path)
        etag = response["ETag"]
        assert response["Cache-Control"] == "public, max-age=300"
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again["Access-Control-Allow-Origin"] == "*"
    etag = client.get("/lkod/katalog")["ETag"]
    demo_plan.open_data_contact_name = "Jiný odbor"
    demo_plan.save()
    changed = client.get("/lkod/katalog", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_cors_preflight(client, demo_plan):
    response = client.options("/lkod/katalog", HTTP_ORIGIN="https://validator.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_the_catalogue_reads_a_bounded_number_of_queries(
    client, demo_plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        client.get("/lkod/katalog.ttl")
    with django_assert_max_num_queries(1):
        client.get("/lkod/katalog")
    with django_assert_max_num_queries(1):
        client.get("/lkod/datove-sady/liberec-2020/projekty")


def test_plain_client_without_accept(demo_plan):
    response = Client().get("/lkod/katalog")
    assert response["Content-Type"].startswith("application/ld+json")
    assert URIRef(json.loads(response.content)["iri"])


def test_a_second_plan_adds_records_not_queries(client, demo_plan, django_assert_max_num_queries):
    import random

    from smartplan.demo.synthetic import _fictional_ico
    from smartplan.organisations.models import Organisation

    other = Plan.objects.create(
        name="Akční plán Chytré město Fiktivov",
        slug="fiktivov-2024",
        territory_kind=Plan.TerritoryKind.MUNICIPALITY,
        territory_name="Fiktivov",
        ruian_code="554782",
        period_from=2024,
        period_to=2026,
        published=True,
    )
    ico = _fictional_ico(random.Random(7))
    other.owner = Organisation.objects.create(
        plan=other, name="Město Fiktivov", short_name="MF", ico=ico
    )
    other.save()
    with django_assert_max_num_queries(1):
        response = client.get("/lkod/katalog.ttl")
    graph = Graph().parse(data=response.content, format="turtle")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 2 * len(datasets())
    record = get_json(client, "/lkod/datove-sady/fiktivov-2024/indikatory")
    assert record["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/obec/554782"]
    assert record["poskytovatel"].endswith(ico)
    assert schema_errors(record, "datová-sada.json") == []
    # The catalogue's own publisher stays the first plan's owner.
    assert get_json(client, "/lkod/katalog")["poskytovatel"] == LIBEREC
