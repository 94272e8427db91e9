"""Downloads of the open data: a dataset of a published plan as CSV (streamed), JSON
(streamed), XLSX, and the CSV's CSV on the Web metadata. A private plan or an unknown
dataset is 404. Every download (not HEAD, not robots) is counted."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from smartplan.opendata import writers
from smartplan.opendata.bots import is_bot
from smartplan.opendata.datasets import FORMATS, Dataset, dataset, dataset_modified
from smartplan.opendata.services import download_count_add
from smartplan.plans.models import Plan

# Beyond this size an XLSX being built spills from memory to a temporary file.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024


def _resolve(plan_slug: str, key: str) -> tuple[Plan, Dataset]:
    plan = get_object_or_404(Plan, slug=plan_slug, published=True)
    try:
        return plan, dataset(key)
    except KeyError:
        raise Http404(key) from None


def _headers(
    response: HttpResponseBase, plan: Plan, item: Dataset, filename: str | None
) -> HttpResponseBase:
    modified = dataset_modified(plan, item.key)
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    # Open data: any web page may fetch it.
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _count(request: HttpRequest, plan: Plan, item: Dataset, fmt: str) -> None:
    if request.method == "GET" and not is_bot(request.headers.get("User-Agent")):
        download_count_add(plan=plan, dataset=item.key, fmt=fmt)


def _filename(plan: Plan, item: Dataset, fmt: str) -> str:
    return f"{plan.slug}-{item.key}.{fmt}"


@require_safe
def download_csv(request: HttpRequest, plan_slug: str, dataset: str) -> HttpResponseBase:
    plan, item = _resolve(plan_slug, dataset)
    _count(request, plan, item, "csv")
    response = StreamingHttpResponse(
        writers.dataset_csv_chunks(item, plan),
        content_type=f"{FORMATS['csv'][1]}; charset=utf-8; header=present",
    )
    return _headers(response, plan, item, _filename(plan, item, "csv"))


@require_safe
def download_json(request: HttpRequest, plan_slug: str, dataset: str) -> HttpResponseBase:
    plan, item = _resolve(plan_slug, dataset)
    _count(request, plan, item, "json")
    response = StreamingHttpResponse(
        writers.json_chunks(item, plan, item.rows(plan)),
        content_type="application/json; charset=utf-8",
    )
    return _headers(response, plan, item, _filename(plan, item, "json"))


@require_safe
def download_xlsx(request: HttpRequest, plan_slug: str, dataset: str) -> HttpResponseBase:
    plan, item = _resolve(plan_slug, dataset)
    _count(request, plan, item, "xlsx")
    # A zip cannot be streamed as it is written; the workbook goes to a spooled file.
    out = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    writers.write_xlsx(item, item.rows(plan), out)
    out.seek(0)
    response = FileResponse(out, content_type=FORMATS["xlsx"][1])
    return _headers(response, plan, item, _filename(plan, item, "xlsx"))


@require_safe
def csv_metadata(request: HttpRequest, plan_slug: str, dataset: str) -> HttpResponseBase:
    plan, item = _resolve(plan_slug, dataset)
    body = json.dumps(writers.csv_metadata(item, plan), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/csvm+json; charset=utf-8")
    return _headers(response, plan, item, None)


DOWNLOADS: dict[str, Callable[..., HttpResponseBase]] = {
    "csv": download_csv,
    "json": download_json,
    "xlsx": download_xlsx,
}
