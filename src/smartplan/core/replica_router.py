"""Public reads from a read replica (``SMARTPLAN_DATABASE_REPLICA_URL``), everything else
from the primary.

A national instance serves far more anonymous readers (the portal, open data downloads,
the catalogue, machine clients of the API) than editors. Those reads can come from a
streaming standby of the PostgreSQL server, so the primary keeps its time for editing,
imports, reports and monitoring. The rules, in the order they are checked:

* Only a request marked public reads from the replica: a GET or HEAD request whose view
  belongs to the ``portal``, ``opendata``, ``lkod`` or ``api`` app
  (:class:`PublicReadsMiddleware`). The editing interface, monitoring, the login, commands
  and the report worker are never marked, so they read and write the primary.
* Accounts, sessions, API tokens, roles and login lockouts are always read from the
  primary, even in a public request: a token or role revoked a moment ago must not stay
  valid for as long as the replica lags behind.
* Inside a transaction (an ``atomic`` block on the primary) every read goes to the primary:
  what the transaction locked or wrote is only there.
* Every write goes to the primary, and a public request that wrote reads everything from
  the primary afterwards (a streamed body too), so it never misses its own write nor
  mixes it with older rows. A stale plan's recompute, started by a portal page, first
  takes the plan's inputs version with ``get_or_create`` (``states_version_start``; the
  router sees a write) and then reads the registers: from the primary, so the states it
  stores are never computed from a replica that lags behind. The download of an
  open dataset by a browser is counted before its body is streamed, so that body comes
  from the primary; robots' downloads and HEAD requests are not counted and stream from
  the replica. The router sees ORM writes only: a raw SQL write is not noticed (no public
  view makes one).

Without the setting neither the router nor the middleware is installed (settings.py): one
database, no per-query work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

REPLICA = "replica"
# Apps whose GET and HEAD requests only read what the public may see anyway.
PUBLIC_APPS = frozenset({"portal", "opendata", "lkod", "api"})
PUBLIC_METHODS = frozenset({"GET", "HEAD"})
# Who may do what: read from the primary, so a revocation takes effect at once.
PRIMARY_ONLY_APPS = frozenset(
    {"auth", "authtoken", "sessions", "access", "axes", "otp_totp", "otp_static", "admin"}
)


@dataclass
class PublicRead:
    """A public request in progress; once it wrote, it reads from the primary."""

    wrote: bool = False


_current: ContextVar[PublicRead | None] = ContextVar("smartplan_public_read", default=None)


def public_read_current() -> PublicRead | None:
    """The public request being answered in this context, if any."""
    return _current.get()


class ReplicaRouter:
    """Django database router for the rules in this module's docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        public = _current.get()
        if public is None:
            return None  # Django's own choice: the primary (or the instance's database)
        meta = model._meta
        if (
            meta.app_label in PRIMARY_ONLY_APPS
            or public.wrote
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        public = _current.get()
        if public is not None:
            public.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by itself


def _streamed(chunks: Iterable[bytes], public: PublicRead) -> Iterator[bytes]:
    """The chunks of a streamed response, each made as part of the public request: the
    body of a download is read after the view (and the middleware) returned."""
    iterator = iter(chunks)
    while True:
        token = _current.set(public)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _current.reset(token)
        yield chunk


class PublicReadsMiddleware:
    """Marks the public requests (see the module's docstring) for :class:`ReplicaRouter`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            response = self.get_response(request)
        finally:
            token = request.__dict__.pop("_public_read_token", None)
            if token is not None:
                _current.reset(token)
        public = getattr(request, "_public_read", None)
        if public is not None and isinstance(response, StreamingHttpResponse):
            content = response.streaming_content
            if isinstance(content, Iterator):  # not an async body (no ASGI server here)
                response.streaming_content = _streamed(content, public)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponseBase],
        args: Any,
        kwargs: Any,
    ) -> None:
        match = request.resolver_match
        if (
            request.method in PUBLIC_METHODS
            and match is not None
            and bool(match.app_names)
            and match.app_names[0] in PUBLIC_APPS
        ):
            public = PublicRead()
            request._public_read = public  # type: ignore[attr-defined]
            request._public_read_token = _current.set(public)  # type: ignore[attr-defined]
