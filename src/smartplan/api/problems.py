"""Every API error as an RFC 9457 problem (``application/problem+json``), from one place.

``problem_exception_handler`` is the REST framework's exception handler: it turns the
framework's own exceptions (validation, parse, authentication, permission, not found,
throttling), Django's ``Http404`` / ``PermissionDenied`` / ``ValidationError``, the domain
errors (``SmartplanError``, ``ChangeRefusedError`` with its problems, ``StaleEditError``) and
the API's preconditions into one shape::

    {"type": "urn:smartplan:problem:validation", "title": "…", "status": 400,
     "detail": "…", "instance": "/api/v1/…", "errors": [{"field": "…", "pointer": "/…",
     "message": "…"}]}

Messages are Czech unless the client asks for English (``Accept-Language: en``).
Values a database cannot hold (an integer past 64 bits, a decimal past its digits) are the
client's mistake, so they are a 400 here too, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import DecimalException
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from smartplan.core.errors import SmartplanError
from smartplan.core.problems import ChangeRefusedError
from smartplan.core.versioning import StaleEditError

PROBLEM_JSON = "application/problem+json"


class PreconditionRequired(exceptions.APIException):
    """A change sent without ``If-Match``: the API cannot tell which version it is based on."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        "Send the If-Match header with the ETag of the version your change is based on."
    )
    default_code = "precondition-required"


class PreconditionFailed(exceptions.APIException):
    """The row changed since the version the client's ``If-Match`` names."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"

    def __init__(
        self,
        detail: str,
        *,
        current: Mapping[str, Any] | None = None,
        changed: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.current = current
        self.changed = changed or []


_TITLES = {
    400: gettext_lazy("The request is not valid"),
    401: gettext_lazy("Log in or send a token"),
    403: gettext_lazy("Not permitted"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    412: gettext_lazy("Changed by someone else"),
    415: gettext_lazy("Unsupported media type"),
    428: gettext_lazy("If-Match required"),
    429: gettext_lazy("Too many requests"),
}


def _error(field: str | None, message: Any, prefix: str = "") -> dict[str, Any]:
    path = f"{prefix}/{field}" if field else (prefix or "/")
    return {"field": field, "pointer": path, "message": str(message)}


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested error detail (dicts by field, lists by position) as a flat list."""
    if isinstance(detail, Mapping):
        found = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", NON_FIELD_ERRORS) else str(key)
            if isinstance(value, Mapping) or (
                isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value)
            ):
                found.extend(_flatten(value, f"{prefix}/{name}" if name else prefix))
            else:
                messages = value if isinstance(value, list) else [value]
                found.extend(_error(name, message, prefix) for message in messages)
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, Mapping | list) for item in detail):
            return [_error(None, item, prefix) for item in detail]
        found = []
        for index, item in enumerate(detail):
            if item:
                found.extend(_flatten(item, f"{prefix}/{index}"))
        return found
    return [_error(None, detail, prefix)]


def _django_errors(error: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            _error(None if field == NON_FIELD_ERRORS else field, message)
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return [_error(None, message) for message in error.messages]


def problem_response(
    request: Any,
    status_code: int,
    *,
    code: str,
    detail: str,
    errors: Iterable[dict[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The problem response (``application/problem+json``)."""
    body: dict[str, Any] = {
        "type": f"urn:smartplan:problem:{code}",
        "title": str(_TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": detail,
        "instance": request.path if request is not None else "",
        "errors": list(errors),
        **extra,
    }
    response = Response(body, status=status_code, content_type=PROBLEM_JSON, headers=headers)
    return response


def problem_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """REST framework's ``EXCEPTION_HANDLER``: any error the API knows as a problem."""
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, PreconditionFailed):
        return problem_response(
            request,
            exc.status_code,
            code="stale",
            detail=str(exc.detail),
            current=exc.current,
            changed=exc.changed,
        )
    if isinstance(exc, StaleEditError):
        return problem_response(request, 412, code="stale", detail=exc.message, changed=[])
    if isinstance(exc, ChangeRefusedError):
        errors = [
            _error(
                problem.field or problem.column,
                problem.message,
                "" if problem.row is None else f"/{problem.row}",
            )
            for problem in exc.problems
        ]
        return problem_response(
            request, 400, code="refused", detail=exc.message.splitlines()[0], errors=errors
        )
    if isinstance(exc, SmartplanError):
        return problem_response(request, 400, code="refused", detail=exc.message)
    if isinstance(exc, DjangoValidationError):
        return problem_response(
            request,
            400,
            code="validation",
            detail=_("The data are not valid."),
            errors=_django_errors(exc),
        )
    if isinstance(exc, ProtectedError | RestrictedError):
        # Deleting a row other rows must point at (an area of projects, …): say which.
        blocking = sorted({str(row._meta.verbose_name) for row in exc.args[1]})
        return problem_response(
            request,
            409,
            code="in-use",
            detail=_("The row cannot be deleted: other rows refer to it (%(kinds)s).")
            % {"kinds": ", ".join(blocking)},
        )
    if isinstance(exc, OverflowError | DataError | DecimalException):
        return problem_response(
            request, 400, code="out-of-range", detail=_("A value is too large or not valid.")
        )
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            request,
            400,
            code="validation",
            detail=_("The data are not valid."),
            errors=_flatten(exc.detail),
        )
    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            headers["Retry-After"] = str(int(wait))
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            authenticate = getattr(context.get("view"), "get_authenticate_header", None)
            header = authenticate(request) if authenticate and request is not None else None
            if header:
                headers["WWW-Authenticate"] = header
            else:
                exc.status_code = status.HTTP_403_FORBIDDEN
        detail = exc.detail
        text = (
            str(detail)
            if not isinstance(detail, list | dict)
            else " ".join(e["message"] for e in _flatten(detail))
        )
        return problem_response(
            request,
            exc.status_code,
            code=str(exc.default_code).replace("_", "-"),
            detail=text,
            headers=headers,
        )
    return None
