"""The catalogue's documents ("DCAT-AP Dokumenty"): JSON-LD by default, Turtle on request.

Every answer is public, allows any origin (CORS ``*``) so that web validators and
harvesters can read it from a browser, and carries an ETag of its body: a harvester that
sends it back gets 304 while nothing changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.http import require_http_methods

from smartplan.lkod import selectors
from smartplan.lkod.addresses import base_url
from smartplan.lkod.negotiation import JSONLD, TURTLE, preferred_serialisation
from smartplan.lkod.records import dataset_record, distribution_iri
from smartplan.lkod.vocabulary import CONTEXT_URL

# Metadata change when a coordinator edits the plan; a short lifetime keeps harvests fresh,
# the ETag makes re-checks cheap.
CACHE_CONTROL = "public, max-age=300"
ALLOWED = ["GET", "HEAD", "OPTIONS"]


def _answer(
    request: HttpRequest, records: Sequence[dict[str, Any]], *, serialisation: str
) -> HttpResponseBase:
    if serialisation == TURTLE:
        # rdflib loads on the first Turtle answer, not when the URL map is built.
        from smartplan.lkod.rdf_graph import records_graph, turtle

        body = turtle(records_graph(records))
        content_type = f"{TURTLE}; charset=utf-8"
    else:
        (record,) = records
        body = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
        content_type = f"{JSONLD}; charset=utf-8"
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    full = HttpResponse(body, content_type=content_type)
    full["ETag"] = etag
    response: HttpResponseBase = full
    conditional = get_conditional_response(request, etag=etag, response=full)
    if conditional is not None:
        response = conditional
        response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept"])
    return response


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(ALLOWED)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED)
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
    return response


def _negotiated(request: HttpRequest, records: Sequence[dict[str, Any]]) -> HttpResponseBase:
    if request.method == "OPTIONS":
        return _options()
    serialisation = preferred_serialisation(request.headers.get("Accept", ""))
    return _answer(request, records, serialisation=serialisation)


@require_http_methods(ALLOWED)
def catalogue(request: HttpRequest) -> HttpResponseBase:
    """``/lkod/katalog``: the catalogue record pointing at each dataset's IRI."""
    base = base_url()
    return _negotiated(request, [selectors.catalogue_record_data(base=base)])


@require_http_methods(ALLOWED)
def catalogue_dump(request: HttpRequest) -> HttpResponseBase:
    """``/lkod/katalog.ttl``: the catalogue, every dataset and distribution in one Turtle
    document, for harvesters that do not follow links."""
    if request.method == "OPTIONS":
        return _options()
    base = base_url()
    plans = list(selectors.catalogue_plans())
    facts = selectors.catalogue_datasets(plans)
    records = [
        selectors.catalogue_record_data(base=base, plans=plans, datasets=facts),
        *(dataset_record(dataset, base=base) for dataset in facts),
    ]
    return _answer(request, records, serialisation=TURTLE)


@require_http_methods(ALLOWED)
def dataset(request: HttpRequest, plan_slug: str, dataset_slug: str) -> HttpResponseBase:
    """A dataset's complete record, its distributions included."""
    facts = selectors.dataset_facts(plan_slug=plan_slug, dataset_slug=dataset_slug)
    if facts is None:
        raise Http404
    return _negotiated(request, [dataset_record(facts, base=base_url())])


@require_http_methods(ALLOWED)
def distribution(
    request: HttpRequest, plan_slug: str, dataset_slug: str, fmt: str
) -> HttpResponseBase:
    """A distribution's own IRI: its description, as in the dataset's record."""
    facts = selectors.dataset_facts(plan_slug=plan_slug, dataset_slug=dataset_slug)
    if facts is None:
        raise Http404
    base = base_url()
    iri = distribution_iri(base, plan_slug, dataset_slug, fmt)
    found = [d for d in dataset_record(facts, base=base)["distribuce"] if d["iri"] == iri]
    if not found:
        raise Http404
    return _negotiated(request, [{"@context": CONTEXT_URL, **found[0]}])
