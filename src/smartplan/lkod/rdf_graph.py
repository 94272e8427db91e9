"""Our JSON-LD records as RDF graphs and Turtle, with the standard's context read from the
copy in ``context/`` (rdflib would otherwise fetch the context URL from the network)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from rdflib import Graph, Namespace

from smartplan.lkod.vocabulary import CONTEXT_FILE, CONTEXT_URL

PREFIXES = {
    "dcat": Namespace("http://www.w3.org/ns/dcat#"),
    "dct": Namespace("http://purl.org/dc/terms/"),
    "dcatap": Namespace("http://data.europa.eu/r5r/"),
    "foaf": Namespace("http://xmlns.com/foaf/0.1/"),
    "vcard": Namespace("http://www.w3.org/2006/vcard/ns#"),
    "pu": Namespace("https://data.gov.cz/slovník/podmínky-užití/"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
}


@cache
def local_context() -> dict[str, Any]:
    """The inner ``@context`` object of the standard's context document."""
    document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    context: dict[str, Any] = document["@context"]
    return context


def with_local_context(document: Any) -> Any:
    """``document`` with every reference to the standard's context URL replaced by the
    context itself (nested nodes too), so that parsing needs no network."""
    if isinstance(document, list):
        return [with_local_context(item) for item in document]
    if isinstance(document, dict):
        return {
            key: (
                local_context()
                if key == "@context" and value == CONTEXT_URL
                else with_local_context(value)
            )
            for key, value in document.items()
        }
    return document


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def records_graph(records: Iterable[dict[str, Any]]) -> Graph:
    """One graph of the JSON-LD ``records`` (catalogue, datasets)."""
    graph = new_graph()
    for record in records:
        graph.parse(data=json.dumps(with_local_context(record)), format="json-ld")
    return graph


def turtle(graph: Graph) -> bytes:
    """The graph in Turtle (UTF-8); the same graph always gives the same bytes."""
    return graph.serialize(format="turtle", encoding="utf-8")
