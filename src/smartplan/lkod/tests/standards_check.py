"""Offline checks of catalogue records against the standards (copies in ``standards/``).

- JSON Schemas of DCAT-AP-CZ 2024-05-28 (katalog.json, datová-sada.json) with the OFN base
  types (text.json, více-textů.json) in a local ``referencing`` registry under the ``$id``
  the schemas reference: nothing is fetched.
- SHACL: SEMIC DCAT-AP 3.0.1 shapes.ttl, and the LKOD validator's catalog.shacl.ttl.
- SPARQL: the LKOD tests' query listing datasets and whether they have every mandatory item.

Sources: ofn.gov.cz (DCAT-AP-CZ: Rozhraní katalogů otevřených dat, 2024-05-28; Základní
datové typy 2020-07-01), github.com/SEMICeu/DCAT-AP (releases/3.0.1/shacl),
github.com/linkedpipes/lkod-tests and the LKOD validator.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from pyshacl import validate
from rdflib import Graph, URIRef
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

STANDARDS = Path(__file__).resolve().parent / "standards"
BASE_TYPES = ("text.json", "více-textů.json")
_SH_RESULT_TYPE = URIRef("http://www.w3.org/ns/shacl#ValidationResult")


def _load(name: str) -> Any:
    return json.loads((STANDARDS / name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry[Any]:
    resources = []
    for name in BASE_TYPES:
        schema = _load(name)
        resources.append((schema["$id"], Resource.from_contents(schema, DRAFT201909)))
    return Registry().with_resources(resources)


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """A validator of ``katalog.json`` or ``datová-sada.json`` (formats checked)."""
    schema = _load(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(record: dict[str, Any], name: str) -> list[str]:
    """Every way ``record`` breaks the schema ``name``, as readable lines."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in schema_validator(name).iter_errors(record)
    ]


@cache
def _shapes(name: str) -> Graph:
    return Graph().parse(STANDARDS / name, format="turtle")


def shacl_violations(data: Graph, shapes: str = "shapes.ttl") -> tuple[int, str]:
    """The number of SHACL results and pySHACL's report text."""
    conforms, results, text = validate(
        data, shacl_graph=_shapes(shapes), inference="none", allow_warnings=True
    )
    assert isinstance(results, Graph)
    count = len(set(results.subjects(predicate=None, object=_SH_RESULT_TYPE)))
    return (0 if conforms else max(count, 1)), str(text)


def datasets_without_mandatory_items(data: Graph) -> list[str]:
    """Datasets the LKOD tests' SPARQL query finds lacking a mandatory item."""
    query = (STANDARDS / "datasety-povinné-atributy.sparql").read_text(encoding="utf-8")
    return [str(row[0]) for row in data.query(query) if not row[1].toPython()]  # type: ignore[index,union-attr]


def failed_ask_queries(data: Graph) -> list[str]:
    """The LKOD tests' yes/no questions (a catalogue, its datasets, Czech title and
    description, an RPP publisher, a dataset) the graph answers with no."""
    names = sorted(
        p.name for p in STANDARDS.glob("*.sparql") if p.name.startswith(("katalog-", "dataset-"))
    )
    assert len(names) == 7
    return [
        name
        for name in names
        if not data.query((STANDARDS / name).read_text(encoding="utf-8")).askAnswer
    ]
