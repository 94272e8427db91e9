"""The history pages of the editing interface.

- ``HistoryAdminMixin`` (a base of ``PlanScopedAdmin``, ``PlanAdmin``): a row's "Historie"
  lists its versions (who, when, channel, change set, the fields changed old → new) with
  "Vrátit na tuto verzi", which goes through the same rules as an edit
  (``core.history_revert``).
- Per plan (pages added to the plans' admin, linked from a plan's page): what changed
  between two dates, and one change set with "Vrátit celou sadu".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.core.admin_extensions import plan_link_add, plan_page_add
from smartplan.core.czech_format import format_date
from smartplan.core.czech_values import parse_date
from smartplan.core.history_diff import (
    FieldChange,
    RecordChanges,
    records_changes,
    related_names,
    shown_fields,
    value_format,
)
from smartplan.core.history_revert import (
    change_set_revert,
    historical_model,
    record_revert,
    revert_rule_needs_reason,
)
from smartplan.core.models import ChangeSet
from smartplan.core.problems import ChangeRefusedError

VERSIONS_PER_PAGE = 30
CHANGE_SETS_PER_PAGE = 20
RECORDS_PER_CHANGE_SET = 10  # on the window page; the change set's own page shows them all
RECORDS_PER_PAGE = 100


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("Needed when a final value changes."),
    )


def _problems(refused: ChangeRefusedError) -> list[str]:
    return [
        problem.message if problem.row is None else str(problem) for problem in refused.problems
    ]


class HistoryAdminMixin:
    """History and revert for a register's admin (a model with ``history_records()``)."""

    object_history_template: Any = "admin/core/history/object_history.html"

    def _history_model(self) -> Any:
        history = getattr(self.model, "history", None)  # type: ignore[attr-defined]
        return history.model if history is not None else None

    def get_urls(self) -> list[Any]:
        urls: list[Any] = super().get_urls()  # type: ignore[misc]
        if self._history_model() is None:
            return urls
        info = self.model._meta.app_label, self.model._meta.model_name  # type: ignore[attr-defined]
        revert = path(
            "<path:object_id>/history/<int:history_id>/revert/",
            self.admin_site.admin_view(self.history_revert_view),  # type: ignore[attr-defined]
            name="{}_{}_history_revert".format(*info),
        )
        return [revert, *urls]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        history_model = self._history_model()
        if history_model is None:
            return super().history_view(request, object_id, extra_context)  # type: ignore[misc,no-any-return]
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is None:
            # A deleted row: its history is still readable by whoever may see the register.
            if not self.has_view_or_change_permission(request):  # type: ignore[attr-defined]
                raise PermissionDenied
        elif not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        records = (
            history_model.objects.filter(id=object_id)
            .select_related("history_user", "change_set")
            .order_by("-history_date", "-history_id")
        )
        page = Paginator(records, VERSIONS_PER_PAGE).get_page(request.GET.get("p"))
        if obj is None and not page.object_list:
            raise Http404
        versions = records_changes(list(page.object_list))
        opts = self.model._meta  # type: ignore[attr-defined]
        may_revert = obj is None or request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}", obj
        )
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": _("History of „%(object)s“") % {"object": obj or versions[0].object_name},
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "object_id": object_id,
            "versions": versions,
            "page": page,
            "may_revert": may_revert,
            "current_history_id": versions[0].record.history_id if page.number == 1 else None,
            **(extra_context or {}),
        }
        return render(request, self.object_history_template, context)

    def history_revert_view(
        self, request: HttpRequest, object_id: str, history_id: int
    ) -> HttpResponse:
        history_model = self._history_model()
        record = get_object_or_404(history_model, id=object_id, history_id=history_id)
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        opts = self.model._meta  # type: ignore[attr-defined]
        # A deleted row is added back only with the add permission (checked by the revert).
        if not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        form = RevertForm(request.POST if request.method == "POST" else None)
        problems: list[str] = []
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
        if request.method == "POST" and form.is_valid():
            try:
                done = record_revert(
                    record=record, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ChangeRefusedError as refused:
                problems = _problems(refused)
            else:
                if done is None:
                    messages.info(request, _("The row already is as in that version."))
                else:
                    messages.success(
                        request,
                        _("„%(object)s“ was reverted to the version of %(date)s.")
                        % {"object": record.instance, "date": _when(record.history_date)},
                    )
                return redirect(history_url)
        # What the revert would change: the row now → the chosen version.
        current = (
            history_model.objects.filter(id=object_id)
            .order_by("-history_date", "-history_id")
            .first()
        )
        preview = _preview(current, record)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": _("Revert „%(object)s“ to this version") % {"object": record.instance},
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "record": record,
            "preview": preview,
            "form": form,
            "needs_reason": revert_rule_needs_reason(self.model),  # type: ignore[attr-defined]
            "problems": problems,
            "history_url": history_url,
        }
        return render(
            request,
            "admin/core/history/revert.html",
            context,
            status=400 if problems else 200,
        )


def _preview(current: Any, record: Any) -> RecordChanges:
    """The changes the revert makes: a record diffed against the current one."""
    changes = records_changes([record])[0]
    if current is None or current.history_id == record.history_id:
        changes.changes = []
        return changes
    pair = RecordChanges(record=record, previous=current)
    names = related_names([pair])
    for f in shown_fields(type(record)):
        old, new = getattr(current, f.attname), getattr(record, f.attname)
        if old != new:
            pair.changes.append(
                FieldChange(
                    label=str(f.verbose_name).capitalize(),
                    old=value_format(f, old, names),
                    new=value_format(f, new, names),
                )
            )
    return pair


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{format_date(local.date())} {local:%H:%M}"


# --- Per plan: what changed between two dates; one change set -------------------------


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
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

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
            problems = _problems(refused)
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
        view="smartplan.core.history_admin.plan_changes",
    )
    plan_page_add(
        route="change-set/<int:change_set_id>/",
        name="change_set",
        view="smartplan.core.history_admin.change_set_page",
    )
    plan_link_add(
        label=gettext_lazy("What changed between two dates"),
        url=lambda plan: reverse("admin:plans_plan_changes", args=[plan.pk]),
        group="history",
    )
