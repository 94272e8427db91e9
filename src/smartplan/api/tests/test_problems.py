"""One exception handler turns every error into an RFC 9457 problem."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from rest_framework import exceptions
from rest_framework.request import Request

from smartplan.api.problems import PreconditionRequired, problem_exception_handler
from smartplan.core.errors import SmartplanError
from smartplan.core.problems import ChangeRefusedError, Problem

pytestmark = pytest.mark.django_db
URL = "/api/v1/plans/liberec-2020/stack-items/"


def _problem(exc):
    request = Request(RequestFactory().get("/api/v1/x/"))
    with translation.override("cs"):
        response = problem_exception_handler(exc, {"request": request, "view": None})
    assert response is not None
    assert response.content_type == "application/problem+json"
    body = response.data
    assert body["status"] == response.status_code
    assert body["instance"] == "/api/v1/x/"
    assert body["type"].startswith("urn:smartplan:problem:")
    return response, body


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (Http404(), 404),
        (DjangoPermissionDenied(), 403),
        (exceptions.NotAuthenticated(), 403),  # no authenticate header without a view
        (exceptions.Throttled(wait=7), 429),
        (exceptions.ParseError(), 400),
        (exceptions.UnsupportedMediaType("text/xml"), 415),
        (PreconditionRequired(), 428),
        (SmartplanError("Něco se nepovedlo."), 400),
        (DataError("value too long"), 400),
        (OverflowError("Python int too large"), 400),
    ],
)
def test_each_error_is_a_problem(exc, status):
    response, _ = _problem(exc)
    assert response.status_code == status
    if status == 429:
        assert response["Retry-After"] == "7"


def test_validation_errors_list_each_field_with_a_pointer():
    _, body = _problem(
        exceptions.ValidationError([{"value": ["Špatně."]}, {}, {"date": ["Chybí."]}])
    )
    assert [(e["field"], e["pointer"]) for e in body["errors"]] == [
        ("value", "/0/value"),
        ("date", "/2/date"),
    ]
    _, body = _problem(DjangoValidationError({"name": ["Povinné."], "__all__": ["Duplicita."]}))
    assert {(e["field"], e["pointer"]) for e in body["errors"]} == {("name", "/name"), (None, "/")}


def test_a_refused_change_lists_its_problems():
    refused = ChangeRefusedError([Problem(None, None, "x", "Neznámý stav.", field="status")])
    _, body = _problem(refused)
    assert body["detail"] == "Nic nebylo uloženo (1 problém):"
    assert body["errors"] == [{"field": "status", "pointer": "/status", "message": "Neznámý stav."}]


def test_odd_requests_are_4xx_problems(coordinator, demo_plan):
    checks = [
        ("options", URL, {}, 200),
        ("head", URL, {}, 200),
        ("get", URL + "?format=xml", {}, 404),
        ("post", URL + "1/", {}, 405),
        ("put", URL, {}, 405),
        ("get", "/api/v1/plans/neni/stack-items/", {}, 404),
        ("get", URL + "?limit=%00", {}, 400),
        ("get", URL + "?ordering=" + "a" * 5000, {}, 400),
        ("get", URL + "?ordering=,,,", {}, 400),
        ("get", URL + "?ordering=id,id,id,id,id", {}, 400),
        ("patch", URL + "1/", {"HTTP_IF_MATCH": "*"}, 412),
        ("patch", URL + "1/", {"HTTP_IF_MATCH": '"99999999999999999999"'}, 412),
    ]
    for method, url, headers, status in checks:
        response = getattr(coordinator, method)(url, **headers)
        assert response.status_code == status, (method, url, response.content[:300])
        if status >= 400:
            assert response["Content-Type"] == "application/problem+json"
