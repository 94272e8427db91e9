"""Per plan, in the editing interface: what changed between two dates (the change sets of a
window with their field changes), and one change set's page with "Vrátit celou sadu".

The pages are added to the plans' admin (``history_pages_register``, from
``CoreConfig.ready``) and linked from a plan's page. Their query counts are bounded by the
number of registers a page's change sets touched, not by the number of changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.core.admin_extensions import plan_link_add, plan_page_add
from smartplan.core.czech_values import parse_date
from smartplan.core.history_admin import problem_messages
from smartplan.core.history_diff import records_changes
from smartplan.core.history_revert import change_set_revert, historical_model
from smartplan.core.models import ChangeSet
from smartplan.core.problems import ChangeRefusedError

CHANGE_SETS_PER_PAGE = 20
RECORDS_PER_CHANGE_SET = 10  # on the window page; the change set's own page shows them all
RECORDS_PER_PAGE = 100


class CzechDateField(forms.DateField):
    """A date typed the Czech way (5. 2. 2020) or ISO, whatever the interface language."""

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise forms.ValidationError(_("Expected a date such as 5. 2. 2020."), code="invalid")
        return parsed


class ChangeWindowForm(forms.Form):
    date_from = CzechDateField(
        label=gettext_lazy("From"),
        required=False,
        widget=widgets.AdminDateWidget(format="%-d. %-m. %Y"),
    )
    date_to = CzechDateField(
        label=gettext_lazy("To"),
        required=False,
        widget=widgets.AdminDateWidget(format="%-d. %-m. %Y"),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first date lies after the second."))
        return data


def _plan_view_check(request: HttpRequest, plan_id: int | None) -> Any:
    from django.apps import apps

    plan_model = apps.get_model("plans", "Plan")
    plan = get_object_or_404(plan_model, pk=plan_id)
    if not request.user.has_perm("plans.view_plan", plan):
        raise PermissionDenied
    return plan


def change_sets_records(change_sets: list[ChangeSet], limit: int | None) -> dict[int, list[Any]]:
    """The records of ``change_sets`` (at most ``limit`` of each), one or two queries per
    register they touched, oldest first."""
    by_register: dict[str, list[int]] = {}
    for change_set in change_sets:
        for label in change_set.registers:
            by_register.setdefault(label, []).append(change_set.pk)
    found: dict[int, list[Any]] = {c.pk: [] for c in change_sets}
    for label, ids in by_register.items():
        history_model = historical_model(label)
        if history_model is None:
            continue
        records = history_model.objects.filter(change_set_id__in=ids).select_related("history_user")
        if limit is not None:
            records = records.annotate(
                position_in_set=Window(
                    RowNumber(), partition_by=F("change_set_id"), order_by=F("history_id").asc()
                )
            ).filter(position_in_set__lte=limit)
        for record in records:
            found[record.change_set_id].append(record)
    for records in found.values():
        records.sort(key=lambda r: (r.history_date, r.history_id))
        if limit is not None:
            del records[limit:]
    return found


def change_sets_counts(change_sets: list[ChangeSet]) -> dict[int, int]:
    """How many records each change set holds (one query per register they touched)."""
    by_register: dict[str, list[int]] = {}
    for change_set in change_sets:
        for label in change_set.registers:
            by_register.setdefault(label, []).append(change_set.pk)
    counts: dict[int, int] = {c.pk: 0 for c in change_sets}
    for label, ids in by_register.items():
        history_model = historical_model(label)
        if history_model is None:
            continue
        for change_set_id, count in (
            history_model.objects.filter(change_set_id__in=ids)
            .values("change_set_id")
            .annotate(count=Count("history_id"))
            .values_list("change_set_id", "count")
        ):
            counts[change_set_id] += count
    return counts


def plan_changes(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The change sets of a plan between two dates, with their field changes."""
    plan = _plan_view_check(request, plan_id)
    form = ChangeWindowForm(request.GET or None)
    change_sets = ChangeSet.objects.filter(plan=plan).select_related("user")
    if form.is_valid():
        tz = timezone.get_current_timezone()
        if form.cleaned_data.get("date_from"):
            start = dt.datetime.combine(form.cleaned_data["date_from"], dt.time.min, tzinfo=tz)
            change_sets = change_sets.filter(created_at__gte=start)
        if form.cleaned_data.get("date_to"):
            end = dt.datetime.combine(
                form.cleaned_data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
            change_sets = change_sets.filter(created_at__lt=end)
    page = Paginator(change_sets, CHANGE_SETS_PER_PAGE).get_page(request.GET.get("p"))
    shown = list(page.object_list)
    records = change_sets_records(shown, RECORDS_PER_CHANGE_SET)
    counts = change_sets_counts(shown)
    all_records = [r for c in shown for r in records[c.pk]]
    changes = {id(c.record): c for c in records_changes(all_records)}
    rows = [
        {
            "change_set": c,
            "count": counts[c.pk],
            "records": [changes[id(r)] for r in records[c.pk]],
            "more": counts[c.pk] - len(records[c.pk]),
        }
        for c in shown
    ]
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        **admin.site.each_context(request),
        "title": _("Changes in „%(plan)s“") % {"plan": plan},
        "plan": plan,
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "admin/core/history/plan_changes.html", context)


def change_set_page(request: HttpRequest, change_set_id: int) -> HttpResponse:
    """A change set's records; POST reverts the whole set."""
    change_set = get_object_or_404(
        ChangeSet.objects.select_related("user", "plan", "reverted_by"), pk=change_set_id
    )
    if change_set.plan_id is None:
        if not request.user.is_superuser:
            raise PermissionDenied
    else:
        _plan_view_check(request, change_set.plan_id)
    problems: list[str] = []
    header = ""
    if request.method == "POST":
        try:
            revert = change_set_revert(
                change_set=change_set, user=request.user, reason=request.POST.get("reason", "")
            )
        except ChangeRefusedError as refused:
            header = refused.message.splitlines()[0]
            problems = problem_messages(refused)
        else:
            if revert is None:
                messages.info(request, _("The change set changed nothing that could be reverted."))
                return redirect("admin:plans_plan_change_set", change_set_id=change_set.pk)
            messages.success(
                request,
                _("Change set %(number)s was reverted as change set %(revert)s.")
                % {"number": change_set.pk, "revert": revert.pk},
            )
            return redirect("admin:plans_plan_change_set", change_set_id=revert.pk)
    count = change_sets_counts([change_set])[change_set.pk]
    page_number = max(
        1, int(request.GET.get("p", "1")) if request.GET.get("p", "").isdigit() else 1
    )
    records = _change_set_page_records(change_set, page_number)
    pages = max(1, -(-count // RECORDS_PER_PAGE))
    context = {
        **admin.site.each_context(request),
        "title": str(change_set),
        "change_set": change_set,
        "count": count,
        "versions": records_changes(records),
        "page_number": page_number,
        "pages": pages,
        "problems": problems,
        "problems_header": header,
    }
    return render(
        request, "admin/core/history/change_set.html", context, status=400 if problems else 200
    )


def _change_set_page_records(change_set: ChangeSet, page_number: int) -> list[Any]:
    """One page of a change set's records across its registers (a query per register)."""
    start = (page_number - 1) * RECORDS_PER_PAGE
    wanted = RECORDS_PER_PAGE
    records: list[Any] = []
    for label in change_set.registers:
        history_model = historical_model(label)
        if history_model is None or wanted <= 0:
            continue
        rows = history_model.objects.filter(change_set=change_set)
        total = rows.count()
        if start >= total:
            start -= total
            continue
        chunk = list(
            rows.select_related("history_user").order_by("history_id")[start : start + wanted]
        )
        records.extend(chunk)
        wanted -= len(chunk)
        start = 0
    return records


def history_pages_register() -> None:
    """Add the plan pages and the link on a plan's page (from ``CoreConfig.ready``)."""
    plan_page_add(
        route="<int:plan_id>/changes/",
        name="changes",
        view="smartplan.core.history_pages.plan_changes",
    )
    plan_page_add(
        route="change-set/<int:change_set_id>/",
        name="change_set",
        view="smartplan.core.history_pages.change_set_page",
    )
    plan_link_add(
        label=gettext_lazy("What changed between two dates"),
        url=lambda plan: reverse("admin:plans_plan_changes", args=[plan.pk]),
        group="history",
    )
