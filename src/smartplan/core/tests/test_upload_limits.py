"""Uploads larger than SMARTPLAN_UPLOAD_MAX_MB are refused (HTTP 413) before they are read."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test.utils import override_settings
from django.urls import reverse

from smartplan.core.upload_limits import UploadLimitMiddleware
from smartplan.indicators.models import Measurement
from smartplan.stack.models import StackItem

LIMIT = 1024 * 1024  # 1 MB in these tests


def _uploads() -> set[Path]:
    folder = Path(settings.DATA_DIR) / "uploads"
    return set(folder.iterdir()) if folder.exists() else set()


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=LIMIT)
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.xlsx", b"PK\x03\x04" + b"\0" * (2 * LIMIT)),
        ("hodnoty.csv", ("Kód;Datum;Hodnota\n" + "1.1;31. 12. 2022;1,5\n" * 120_000).encode()),
    ],
    ids=["workbook", "measurements-csv"],
)
def test_an_oversized_upload_to_the_plan_import_is_refused_unread(
    coordinator_client, demo_plan, name, content
):
    assert len(content) > LIMIT
    stack_before = StackItem.objects.count()
    measurements_before = Measurement.objects.count()
    uploads_before = _uploads()
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    response = coordinator_client.post(
        url, {"file": _named(content, name)}, HTTP_ACCEPT_LANGUAGE="cs"
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Soubor nebo požadavek je příliš velký" in page
    assert "nejvýše 1 MB" in page
    assert StackItem.objects.count() == stack_before
    assert Measurement.objects.count() == measurements_before
    assert _uploads() == uploads_before


def _named(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=LIMIT)
def test_an_upload_under_the_limit_is_read(coordinator_client, demo_plan):
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    response = coordinator_client.post(url, {"file": _named(b"not a workbook", "plan.xlsx")})
    # Read and refused by the importer, with its own reason, not by the size limit.
    assert response.status_code == 400
    assert response.context["problems"]


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=LIMIT)
def test_the_api_answers_an_oversized_body_with_a_problem(coordinator_client, demo_plan):
    body = json.dumps([{"value": "1"}] * (LIMIT // 10))
    response = coordinator_client.post(
        f"/api/v1/plans/{demo_plan.slug}/observations/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert "nejvýše 1 MB" in problem["detail"]


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@override_settings(UPLOAD_MAX_BYTES=LIMIT)
def test_the_body_is_not_read_at_all():
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/admin/plans/plan/1/import/",
            "CONTENT_TYPE": "multipart/form-data; boundary=x",
            "CONTENT_LENGTH": str(LIMIT + 1),
            "wsgi.input": _Unreadable(),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
        }
    )

    def view(request):
        request.POST  # noqa: B018 - what a view would do
        raise AssertionError("the view ran")

    response = UploadLimitMiddleware(view)(request)
    assert response.status_code == 413


@override_settings(UPLOAD_MAX_BYTES=LIMIT)
def test_a_missing_or_broken_length_passes_to_django(rf):
    for length in ("", "abc", str(LIMIT)):
        request = rf.post("/prihlaseni/")
        request.META["CONTENT_LENGTH"] = length
        response = UploadLimitMiddleware(lambda r: HttpResponse("ok"))(request)
        assert response.status_code == 200, length
