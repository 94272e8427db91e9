"""Which requests may read from the replica, decided without a replica: the setting, the
router's rules and the middleware's marks. The real standby: test_replica_streaming.py."""

import json
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import resolve
from rest_framework.authtoken.models import Token

from smartplan.access.models import ProviderToken
from smartplan.core.replica_router import (
    PublicReadsMiddleware,
    ReplicaRouter,
    public_read_current,
)
from smartplan.core.tests.test_security_settings import _env
from smartplan.opendata.models import DownloadCount
from smartplan.projects.models import FlagshipProject

ROUTER = "smartplan.core.replica_router.ReplicaRouter"
MIDDLEWARE = "smartplan.core.replica_router.PublicReadsMiddleware"


def _settings(tmp_path, **extra):
    code = (
        "import json, smartplan.settings as s; print(json.dumps({"
        "'databases': {k: [v['ENGINE'], v['HOST'], v['PORT'], v['NAME'], v.get('TEST')]"
        " for k, v in s.DATABASES.items()},"
        "'routers': getattr(s, 'DATABASE_ROUTERS', []), 'middleware': s.MIDDLEWARE}))"
    )
    env = _env(tmp_path)
    env.update(extra)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_without_the_setting_there_is_one_database_and_no_router(tmp_path):
    read = _settings(tmp_path)
    assert list(read["databases"]) == ["default"]
    assert read["routers"] == []
    assert MIDDLEWARE not in read["middleware"]


def test_the_setting_adds_the_replica_the_router_and_the_middleware(tmp_path):
    read = _settings(
        tmp_path,
        SMARTPLAN_DATABASE_URL="postgres://smartplan@db1:5432/smartplan",
        SMARTPLAN_DATABASE_REPLICA_URL="postgres://smartplan@db2:5433/smartplan",
    )
    engine, host, port, name, test = read["databases"]["replica"]
    assert (engine, host, port, name) == ("django.db.backends.postgresql", "db2", 5433, "smartplan")
    # Tests on a physical standby read the primary's test database there.
    assert test == {"MIRROR": "default"}
    assert read["routers"] == [ROUTER]
    # After authentication, before the login lockout (which stays last).
    middleware = read["middleware"]
    assert middleware[-2:] == [MIDDLEWARE, "axes.middleware.AxesMiddleware"]


router = ReplicaRouter()


def _in_public_request(path, method="GET", view=None):
    """Run ``view`` (default: what the router answers) as the middleware would for a
    request to ``path``; returns what the view returned."""
    request = HttpRequest()
    request.method = method
    request.path = request.path_info = path
    request.resolver_match = resolve(path)
    seen = {}

    def get_response(request):
        middleware.process_view(request, request.resolver_match.func, (), {})
        seen["answer"] = (view or (lambda: router.db_for_read(FlagshipProject)))()
        return HttpResponse()

    middleware = PublicReadsMiddleware(get_response)
    middleware(request)
    assert public_read_current() is None  # the mark ends with the request
    return seen["answer"]


@pytest.mark.parametrize(
    "path",
    [
        "/liberec-2020/",
        "/liberec-2020/projekty/",
        "/data/liberec-2020/projekty.csv",
        "/lkod/",
        "/api/v1/plans/",
        "/api/v1/plans/liberec-2020/flagship-projects/",
    ],
)
def test_public_reads_go_to_the_replica(path):
    assert _in_public_request(path) == "replica"
    assert _in_public_request(path, method="HEAD") == "replica"


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/admin/", "GET"),
        ("/monitoring/", "GET"),
        ("/prihlaseni/", "GET"),
        ("/api/v1/plans/liberec-2020/flagship-projects/", "POST"),
        ("/api/v1/plans/liberec-2020/flagship-projects/", "OPTIONS"),
        ("/liberec-2020/otevrena-data/projekty/", "POST"),
    ],
)
def test_editing_and_writing_requests_read_the_primary(path, method):
    # None: Django's own choice, the primary.
    assert _in_public_request(path, method=method) is None


def test_outside_a_request_nothing_is_routed():
    assert router.db_for_read(FlagshipProject) is None
    assert router.db_for_write(FlagshipProject) == "default"


@pytest.mark.parametrize("model", [User, Token, ProviderToken])
def test_accounts_and_tokens_are_read_from_the_primary_even_in_public_requests(model):
    """A token revoked a moment ago must not stay valid while the replica lags."""
    assert _in_public_request("/api/v1/plans/", view=lambda: router.db_for_read(model)) == (
        "default"
    )


def test_a_public_request_that_wrote_reads_the_primary_from_then_on():
    def view():
        before = router.db_for_read(FlagshipProject)
        written = router.db_for_write(DownloadCount)
        return (
            before,
            written,
            router.db_for_read(DownloadCount),
            router.db_for_read(FlagshipProject),
        )

    # Its own write, and everything read with it, from the primary (a stale plan's
    # recompute writes first, then reads the registers).
    assert _in_public_request("/data/liberec-2020/projekty.csv", view=view) == (
        "replica",
        "default",
        "default",
        "default",
    )


def test_reads_inside_a_transaction_go_to_the_primary(transactional_db):
    def view():
        with transaction.atomic():
            return router.db_for_read(FlagshipProject)

    assert _in_public_request("/liberec-2020/", view=view) == "default"


def test_a_streamed_body_is_read_as_part_of_the_public_request():
    """Open data downloads are read after the view returned, while the body is sent."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/data/liberec-2020/mereni.csv"
    request.resolver_match = resolve(request.path)

    def rows():
        for _ in range(2):
            yield f"{router.db_for_read(FlagshipProject)}\n".encode()

    def get_response(request):
        middleware.process_view(request, request.resolver_match.func, (), {})
        return StreamingHttpResponse(rows())

    middleware = PublicReadsMiddleware(get_response)
    response = middleware(request)
    assert public_read_current() is None
    assert b"".join(response.streaming_content) == b"replica\nreplica\n"
    assert public_read_current() is None


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "plans") is True
    assert router.allow_migrate("replica", "plans") is False
