"""The portal's open data pages (templates extending ``portal/base.html``): a plan's datasets
and one dataset with its columns, downloads, their counts and the "Nahlásit problém" form.

The portal wires these views into its addresses (``portal:opendata``, ``portal:dataset``)
and wraps them in its HTTP caching; this app does not import the portal. The dataset page
holds a CSRF token, so it is never cached by a shared cache (``Cache-Control: private``);
what it shows beyond the plan's registers - the download counts - is in
:func:`downloads_stamp`, for the portal's ETag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.opendata.datasets import (
    Column,
    Dataset,
    Distribution,
    Text,
    distributions,
    plan_datasets,
)
from smartplan.opendata.datasets import dataset as dataset_by_key
from smartplan.opendata.feedback import FeedbackForm, feedback_rate_exceeded
from smartplan.opendata.models import DownloadCount
from smartplan.opendata.services import feedback_create
from smartplan.plans.models import Plan

TOO_MANY = 429
SENT = "odeslano"

DATATYPE_LABELS = {
    "string": gettext_lazy("text"),
    "integer": gettext_lazy("whole number"),
    "decimal": gettext_lazy("decimal number (decimal point)"),
    "date": gettext_lazy("date (YYYY-MM-DD)"),
    "boolean": gettext_lazy("yes/no (true/false)"),
    "anyURI": gettext_lazy("web address"),
}
PERIODICITY_LABELS = {
    "ANNUAL": gettext_lazy("yearly"),
    "QUARTERLY": gettext_lazy("quarterly"),
    "MONTHLY": gettext_lazy("monthly"),
    "IRREG": gettext_lazy("irregularly"),
}
THEME_LABELS = {
    "GOVE": gettext_lazy("Government and public sector"),
    "REGI": gettext_lazy("Regions and cities"),
    "ECON": gettext_lazy("Economy and finance"),
    "EDUC": gettext_lazy("Education, culture and sport"),
}


def local(text: Text) -> str:
    """The text in the page's language (Czech unless the page is English)."""
    return text.en if (translation.get_language() or "cs").startswith("en") else text.cs


def catalogue_record_url(plan: Plan, key: str) -> str:
    """The dataset's record in the local open data catalogue (its IRI, DCAT-AP-CZ)."""
    return f"{settings.BASE_URL}/lkod/datove-sady/{plan.slug}/{key}"


@dataclass(frozen=True)
class Download:
    distribution: Distribution
    count: int


@dataclass(frozen=True)
class ColumnRow:
    name: str
    title: str
    datatype: str
    required: bool
    description: str


@dataclass(frozen=True)
class DatasetEntry:
    key: str
    title: str
    description: str
    keywords: list[str]
    periodicity: str
    themes: list[str]
    rows: int | None
    downloads: list[Download]
    catalogue_url: str


def _entry(
    plan: Plan, item: Dataset, counts: dict[tuple[str, str], int], rows: int | None
) -> DatasetEntry:
    return DatasetEntry(
        key=item.key,
        title=local(item.title),
        description=local(item.description),
        keywords=[local(keyword) for keyword in item.keywords],
        periodicity=str(PERIODICITY_LABELS.get(item.periodicity.rsplit("/", 1)[-1], "")),
        themes=[str(THEME_LABELS.get(theme.rsplit("/", 1)[-1], theme)) for theme in item.themes],
        rows=rows,
        downloads=[
            Download(dist, counts.get((item.key, dist.format), 0))
            for dist in distributions(plan, item.key)
        ],
        catalogue_url=catalogue_record_url(plan, item.key),
    )


def _counts(plan: Plan, key: str | None = None) -> dict[tuple[str, str], int]:
    rows = DownloadCount.objects.filter(plan=plan)
    if key is not None:
        rows = rows.filter(dataset=key)
    return {(d, f): c for d, f, c in rows.values_list("dataset", "format", "count")}


def _columns(item: Dataset) -> list[ColumnRow]:
    return [
        ColumnRow(
            name=column.name,
            title=local(column.title),
            datatype=str(DATATYPE_LABELS[column.datatype]),
            required=column.required,
            description=local(column.description),
        )
        for column in item.columns
    ]


def _published_plan(plan_slug: str) -> Plan:
    return get_object_or_404(Plan.objects.select_related("owner"), slug=plan_slug, published=True)


def plan_open_data(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """The plan's open data: every dataset with its size, formats and catalogue record."""
    plan = _published_plan(plan_slug)
    counts = _counts(plan)
    entries = [_entry(plan, item, counts, item.row_count(plan)) for item in plan_datasets(plan)]
    return render(
        request,
        "opendata/plan_datasets.html",
        {
            "plan": plan,
            "datasets": entries,
            "catalogue_url": f"{settings.BASE_URL}/lkod/katalog",
        },
    )


def dataset_page(request: HttpRequest, plan_slug: str, dataset: str) -> HttpResponse:
    """One dataset: description, columns, downloads with counts, the feedback form."""
    plan = _published_plan(plan_slug)
    try:
        item = dataset_by_key(dataset)
    except KeyError:
        raise Http404(dataset) from None
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if feedback_rate_exceeded(request):
            form.is_valid()  # errors of the fields too, so the page says everything at once
            form.add_error(
                None,
                _(
                    "Too many reports from your address in a short time. Please try again "
                    "in an hour, or write to the plan's contact."
                ),
            )
            status = TOO_MANY
        elif form.is_robot():
            return HttpResponseRedirect(f"{request.path}?{SENT}=1#nahlasit")
        elif form.is_valid():
            feedback_create(
                plan=plan,
                dataset=item.key,
                message=form.cleaned_data["message"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
            return HttpResponseRedirect(f"{request.path}?{SENT}=1#nahlasit")
    else:
        form = FeedbackForm()
    entry = _entry(plan, item, _counts(plan, item.key), None)
    response = render(
        request,
        "opendata/dataset.html",
        {
            "plan": plan,
            "dataset": entry,
            "columns": _columns(item),
            "primary_key": list(item.primary_key),
            "form": form,
            "sent": request.method == "GET" and request.GET.get(SENT) == "1",
            "has_contacts": any(_is_contact(column) for column in item.columns),
        },
        status=status,
    )
    # The form's CSRF token belongs to this visitor: no shared cache may keep the page.
    patch_cache_control(response, private=True, max_age=0)
    return response


def _is_contact(column: Column) -> bool:
    return column.name.endswith(("_email", "_telefon"))


def downloads_stamp(*, plan_slug: str, dataset: str) -> tuple[str, dt.datetime | None]:
    """What the dataset page shows beyond the plan's registers: the download counts, as a
    token and the time of the last counted download (one query)."""
    row = DownloadCount.objects.filter(plan__slug=plan_slug, dataset=dataset).aggregate(
        total=Sum("count"), kinds=Count("id"), last=Max("updated_at")
    )
    return f"d{row['kinds']}.{row['total'] or 0}", row["last"]
