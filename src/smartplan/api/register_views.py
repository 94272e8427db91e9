"""One viewset for every register (``register_viewset`` makes a class per register).

Reads: the rows ``rows_permitted`` allows (lists) or ``has_perm(view, obj)`` allows
(details), keyset pages (``keyset``), filters and ``?ordering=``, a weak ETag of the page's
ids and versions, ``Last-Modified``, 304 on ``If-None-Match``.

Writes: ``has_perm(<app>.<action>_<model>, obj)`` (for add: the unsaved row with its plan),
the model's ``full_clean`` or the register's action, one transaction and one change set of
the API channel each. A change names the version it is based on (``If-Match: "<version>"``,
the ETag of the detail): without it 428, on an older version 412 with the current row and
what differs, never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import BasePagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from smartplan.api import bulk_download, keyset
from smartplan.api.change_set import api_change_set
from smartplan.api.object_permissions import object_permitted
from smartplan.api.problems import PreconditionFailed, PreconditionRequired
from smartplan.api.register_rows import row_shape, rows_shape
from smartplan.api.register_rules import RegisterRules
from smartplan.api.register_serializers import (
    register_filterset,
    register_serializer,
    register_sort_keys,
)
from smartplan.api.registers import Register
from smartplan.core.access_scope import rows_scope_key
from smartplan.core.statement_cache import values_rows, values_rows_keyed
from smartplan.core.versioning import StaleEditError
from smartplan.plans.models import Plan

READS = ("GET", "HEAD", "OPTIONS")
# The rows of registers that do not override them: rows_permitted's.
_COMMON_ROWS = getattr(RegisterRules.rows, "__func__", None)


class ReadsOpenWritesLoggedIn(BasePermission):
    """Anyone may ask to read (the rows they see are ``rows_permitted``'s answer); a change
    needs a login, and then the object permission the view checks."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in READS or bool(request.user and request.user.is_authenticated)


class KeysetPagination(BasePagination):
    """Describes the keyset page in the schema (the views page themselves)."""

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {keyset.MAX_LIMIT} "
                f"(default {keyset.DEFAULT_LIMIT}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": keyset.MAX_LIMIT},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Where the page starts: the `next` link of the previous page.",
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page; null on the last page.",
                },
                "results": schema,
            },
        }


def last_modified(text: str) -> str:
    """The ``Last-Modified`` header of a modification time the database gave as text."""
    moment = parse_datetime(text.replace(" ", "T", 1))
    if moment is None:
        return http_date()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return http_date(moment.timestamp())


def etag_of_version(version: int) -> str:
    return quote_etag(str(version))


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(
        part.strip() == "*" or part.strip().removeprefix("W/") == wanted
        for part in header.split(",")
    )


def if_match_version(request: Request) -> int:
    """The version ``If-Match`` names: 428 without it, 412 when it names no version."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    text = header.strip().removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise PreconditionFailed(
            _('If-Match must be the ETag of the detail, such as "3".'), current=None
        )
    return int(text)


@cache
def page_columns(register: Register, extra: tuple[str, ...]) -> QuerySet[Any, dict[str, Any]]:
    """The columns of a list page (``row_shape``, plus the ordering's ``extra`` columns),
    built once per register and ordering: choosing twenty columns costs Django more than
    the page's filters, and a query that is only ever chained from (each request filters a
    copy) can be shared. Never evaluated itself."""
    shape = row_shape(register)
    with_texts = register.model._default_manager.extra(select=shape.texts)  # nosec B610
    return with_texts.values(*shape.columns, *extra, *shape.texts)


class RegisterViewSet(viewsets.GenericViewSet[Model]):
    """Read and write one register of a plan; ``register`` is set by ``register_viewset``."""

    register: ClassVar[Register]
    permission_classes = [ReadsOpenWritesLoggedIn]
    filter_backends = [DjangoFilterBackend]
    pagination_class = KeysetPagination
    lookup_value_regex = r"[0-9]{1,18}"

    # -- helpers -------------------------------------------------------------------------

    def get_queryset(self) -> QuerySet[Model]:
        return self.register.model._default_manager.all()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if "plan" in self.kwargs and getattr(self, "_plan", None) is not None:
            context["plan"] = self._plan
        return context

    def plan(self) -> Plan:
        plan = getattr(self, "_plan", None)
        if plan is None:
            plan = get_object_or_404(Plan.objects.only("id", "slug"), slug=self.kwargs["plan"])
            self._plan = plan
        return plan

    def perm(self, action: str) -> str:
        meta = self.register.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    def require(self, action: str, obj: Model) -> None:
        if not object_permitted(self.request.user, self.perm(action), obj):
            messages = {
                "add": _("You may not add rows to %(register)s of this plan."),
                "change": _("You may not change this row of %(register)s."),
                "delete": _("You may not delete this row of %(register)s."),
            }
            message = messages.get(action, _("You may not view this row of %(register)s."))
            raise exceptions.PermissionDenied(message % {"register": self.register.label})

    def the_object(self) -> Model:
        """The detail's row, when the user may view it (404 otherwise: no leak)."""
        plan = self.plan()
        obj = get_object_or_404(self.get_queryset().filter(plan_id=plan.pk), pk=self.kwargs["pk"])
        if not self.register.rules.may_view(self.request.user, obj):
            raise exceptions.NotFound()
        return obj

    def rows_of(
        self, queryset: QuerySet[Model], extra: tuple[str, ...] = (), limit: int | None = None
    ) -> list[dict[str, Any]]:
        shape = row_shape(self.register)
        with_texts = queryset.extra(select=shape.texts)  # nosec B610: fixed casts of columns
        values = with_texts.values(*shape.columns, *extra, *shape.texts)
        return values_rows(values if limit is None else values[:limit])

    def represent(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows_shape(self.register, rows)
        if rows:
            self.register.rules.extend(rows, request=self.request, plan_slug=self.kwargs["plan"])
        return rows

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        rows = self.rows_of(self.get_queryset().filter(pk=pk))
        if not rows:
            raise exceptions.NotFound()
        updated = rows[0]["text_updated_at"]
        [row] = self.represent(rows)
        etag = etag_of_version(row["version"])
        headers = {"ETag": etag, "Last-Modified": last_modified(updated)}
        if code == status.HTTP_200_OK and _etag_matches(
            self.request.headers.get("If-None-Match"), etag
        ):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(row, status=code, headers=headers)

    def stale(self, obj: Model, based_on: int, sent: dict[str, Any]) -> PreconditionFailed:
        """412 with the row as it is now and ``changed``: the fields others changed since
        the client's version (that version's historical row against the current one); when
        the history has no row of that version, the sent fields that differ from now."""
        current_rows = self.represent(self.rows_of(self.get_queryset().filter(pk=obj.pk)))
        current = current_rows[0] if current_rows else None
        changed = []
        if current is not None:
            old = _historical(obj, based_on)
            for name in self.register.fields:
                if name not in current:
                    continue
                if old is not None:
                    differs = _plain(getattr(old, register_attname(self.register, name), None)) != (
                        _plain(current[name])
                    )
                else:
                    differs = name in sent and _plain(sent[name]) != _plain(current[name])
                if differs:
                    changed.append({"field": name, "current": current[name]})
        return PreconditionFailed(
            _(
                "The row was changed by someone else in the meantime (version %(current)s; "
                "your change is based on version %(based_on)s). Nothing was saved; "
                "apply your change to the current version."
            )
            % {"current": current["version"] if current else "–", "based_on": based_on},
            current=current,
            changed=changed,
        )

    # -- reads ---------------------------------------------------------------------------

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        register = self.register
        slug = self.kwargs["plan"]
        params = request.query_params
        limit = keyset.limit_parse(params.get("limit"))
        ordering = keyset.ordering_parse(
            params.get("ordering"),
            default=register.ordering,
            allowed=register_sort_keys(register),
        )
        shape = row_shape(register)
        extra = tuple(
            name
            for name in ordering.names
            if name not in shape.columns and f"text_{name}" not in shape.texts
        )
        filterset = register_filterset(register)
        filtered = any(name in params for name in filterset.base_filters)
        cursor = params.get("cursor")
        after = keyset.cursor_decode(register.model, ordering, cursor) if cursor else []
        user = request.user

        def page(head: list[Any], tail: list[Any]) -> QuerySet[Any, dict[str, Any]]:
            # The plan is joined by its slug, not read first: a page is one query. An empty
            # page asks whether the plan exists (404).
            [plan_slug] = head
            queryset = register.rules.rows(
                user, page_columns(register, extra).filter(plan__slug=plan_slug), self.plan
            )
            if filtered:
                queryset = self.filter_queryset(queryset)
            if tail:
                queryset = keyset.after(queryset, ordering, tail)
            return queryset.order_by(*ordering.columns)[: limit + 1]

        scope = rows_scope_key(user)
        if (
            scope is None
            or filtered
            or getattr(register.rules.rows, "__func__", None) is not _COMMON_ROWS
        ):
            rows = values_rows(page([slug], after))
        else:
            # Everything else the page's query depends on: a page of the same register, order,
            # size and reader's roles is the same statement with another plan and cursor.
            key = (
                "api list",
                register.path,
                extra,
                ordering.columns,
                limit,
                scope,
                tuple(type(value) for value in after),
            )
            rows = values_rows_keyed(key, page, [slug], list(after))
        if not rows:
            self.plan()
        following = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = {
                name: rows[-1].get(name, rows[-1].get(f"text_{name}")) for name in ordering.names
            }
            following = request.build_absolute_uri(
                "?" + _with(params, cursor=keyset.cursor_encode(ordering, last))
            )
        for row in rows if extra else ():
            for name in extra:
                del row[name]
        digest = hashlib.sha1(usedforsecurity=False)
        for row in rows:
            digest.update(b"%d:%d;" % (row["id"], row["version"]))
        digest.update((following or "").encode())
        etag = f'W/"{digest.hexdigest()}"'
        headers = {"ETag": etag}
        if rows:
            headers["Last-Modified"] = last_modified(max(row["text_updated_at"] for row in rows))
        if _etag_matches(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response({"next": following, "results": self.represent(rows)}, headers=headers)

    @action(detail=False, methods=["get"], url_path=r"download/(?P<kind>csv|json)")
    def download(self, request: Request, kind: str, *args: Any, **kwargs: Any) -> Any:
        """Every row the list pages would give (same rows, filters and fields, in the
        default order), streamed from one cursor (``bulk_download``)."""
        register = self.register
        plan = self.plan()  # 404 for an unknown plan
        ordering = keyset.ordering_parse(
            None, default=register.ordering, allowed=register_sort_keys(register)
        )
        shape = row_shape(register)
        extra = tuple(
            name
            for name in ordering.names
            if name not in shape.columns and f"text_{name}" not in shape.texts
        )
        queryset = register.rules.rows(
            request.user, page_columns(register, extra).filter(plan_id=plan.pk), self.plan
        )
        filterset = register_filterset(register)
        if any(name in request.query_params for name in filterset.base_filters):
            queryset = self.filter_queryset(queryset)
        rows = queryset.order_by(*ordering.columns).iterator(chunk_size=bulk_download.BATCH)

        def represent(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
            for row in batch if extra else ():
                for name in extra:
                    del row[name]
            return self.represent(batch)

        if kind == "csv":
            fields = ["id", "version", *(f for f in register.fields if f != "id")]
            chunks = bulk_download.csv_chunks(
                rows, represent, fields, bulk_download.texts_and_plain(register)
            )
        else:
            chunks = bulk_download.json_chunks(rows, represent)
        return StreamingHttpResponse(
            chunks,
            content_type=bulk_download.KINDS[kind],
            headers={
                "Content-Disposition": (
                    f'attachment; filename="{plan.slug}-{register.path}.{kind}"'
                )
            },
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.the_object()
        return self.detail_response(obj.pk)

    # -- writes --------------------------------------------------------------------------

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        register = self.register
        plan = self.plan()
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        many = {name: data.pop(name) for name in list(data) if _is_many(register, name)}
        obj = register.model(plan=plan, **data)
        self.require("add", obj)  # the row as it would be: its plan and references set
        with transaction.atomic(), api_change_set(user=request.user, plan=plan):
            obj = register.rules.save(obj, user=request.user, changed=set(data))
            for name, items in many.items():
                getattr(obj, name).set(items)
        return self.detail_response(obj.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        register = self.register
        partial = bool(kwargs.get("partial"))
        based_on = if_match_version(request)
        obj = self.the_object()
        self.require("change", obj)
        sent = request.data if isinstance(request.data, dict) else {}
        if obj.version != based_on:  # type: ignore[attr-defined]
            raise self.stale(obj, based_on, sent)
        incoming = self.get_serializer(obj, data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        many = {name: data.pop(name) for name in list(data) if _is_many(register, name)}
        for name, value in data.items():
            setattr(obj, name, value)
        self.require("change", obj)  # where the change moves it, too
        obj.version = based_on  # type: ignore[attr-defined]
        try:
            with transaction.atomic(), api_change_set(user=request.user, plan=self.plan()):
                current = (
                    register.model._default_manager.select_for_update()
                    .filter(pk=obj.pk)
                    .values_list("version", flat=True)
                    .first()
                )
                if current != based_on:
                    raise StaleEditError(obj, based_on=based_on, current=current)
                obj = register.rules.save(obj, user=request.user, changed=set(data))
                for name, items in many.items():
                    getattr(obj, name).set(items)
        except StaleEditError:
            raise self.stale(obj, based_on, sent) from None
        return self.detail_response(obj.pk)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        based_on = if_match_version(request)
        obj = self.the_object()
        self.require("delete", obj)
        if obj.version != based_on:  # type: ignore[attr-defined]
            raise self.stale(obj, based_on, {})
        with transaction.atomic(), api_change_set(user=request.user, plan=self.plan()):
            locked = (
                self.register.model._default_manager.select_for_update()
                .filter(pk=obj.pk, version=based_on)
                .first()
            )
            if locked is None:
                raise self.stale(obj, based_on, {})
            locked.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def register_attname(register: Register, name: str) -> str:
    return str(register.model_field(name).attname)


def _is_many(register: Register, name: str) -> bool:
    return name in register.fields and bool(register.model_field(name).many_to_many)


def _plain(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, Model):
        return str(value.pk)
    return "" if value is None else str(value)


def _historical(obj: Model, version: int) -> Any:
    """The row as it was at ``version``, when history is recorded (django-simple-history)."""
    history = getattr(obj, "history", None)
    if history is None:
        return None
    return history.filter(version=version).order_by("-history_date").first()


def _with(params: Any, **changes: str) -> str:
    query = params.copy()
    for key, value in changes.items():
        query[key] = value
    return str(query.urlencode())


def _schema_parameters(register: Register) -> list[OpenApiParameter]:
    keys = sorted(register_sort_keys(register))
    return [
        OpenApiParameter(
            "ordering",
            OpenApiTypes.STR,
            description="Sort by these comma-separated fields (a minus sign for descending): "
            + ", ".join(keys),
        )
    ]


_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version the change is based on, such as "3".',
)


def register_viewset(
    register: Register, base: type[RegisterViewSet] = RegisterViewSet
) -> type[RegisterViewSet]:
    """The viewset class of ``register`` (schema annotations included)."""
    serializer = register_serializer(register)
    name = "".join(part.title() for part in register.path.split("-"))
    with translation.override("en"):  # the schema's descriptions are English, like its text
        label = register.label
    attrs: dict[str, Any] = {
        "register": register,
        "serializer_class": serializer,
        "filterset_class": register_filterset(register),
        "__doc__": f"{label.capitalize()} of a plan.",
    }
    if not register.writable:
        attrs["http_method_names"] = ["get", "head", "options"]
    viewset = type(f"{name}ViewSet", (base,), attrs)
    schemas: dict[str, Any] = {
        "list": extend_schema(
            summary=f"List {label}", parameters=_schema_parameters(register), tags=[register.path]
        ),
        "retrieve": extend_schema(summary=f"One of {label}", tags=[register.path]),
        "download": extend_schema(
            summary=f"All {label} in one file",
            description=(
                "Every row the list pages give (same rows, filters and fields, default "
                "order) in one streamed file: `csv` (UTF-8, a header of the field names; "
                "lists and objects as JSON text) or `json` (an array, a row a line)."
            ),
            parameters=[
                OpenApiParameter(
                    "kind", str, OpenApiParameter.PATH, enum=["csv", "json"], description="format"
                ),
            ],
            responses={
                (200, "text/csv"): OpenApiTypes.STR,
                (200, "application/json"): {"type": "array", "items": {"type": "object"}},
            },
            tags=[register.path],
        ),
    }
    if register.writable:
        schemas.update(
            create=extend_schema(summary=f"Add to {label}", tags=[register.path]),
            update=extend_schema(
                summary=f"Change one of {label}", parameters=[_IF_MATCH], tags=[register.path]
            ),
            partial_update=extend_schema(
                summary=f"Change fields of one of {label}",
                parameters=[_IF_MATCH],
                tags=[register.path],
            ),
            destroy=extend_schema(
                summary=f"Delete one of {label}", parameters=[_IF_MATCH], tags=[register.path]
            ),
        )
    return extend_schema_view(**schemas)(viewset)
