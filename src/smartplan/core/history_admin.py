"""The history pages of the editing interface.

- ``HistoryAdminMixin`` (a base of ``PlanScopedAdmin``, ``PlanAdmin``): a row's "Historie"
  lists its versions (who, when, channel, change set, the fields changed old → new) with
  "Vrátit na tuto verzi", which goes through the same rules as an edit
  (``core.history_revert``).
- Per plan: ``core.history_pages``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.core.czech_format import format_date
from smartplan.core.history_diff import (
    FieldChange,
    RecordChanges,
    records_changes,
    related_names,
    shown_fields,
    value_format,
)
from smartplan.core.history_revert import (
    record_revert,
    revert_rule_needs_reason,
)
from smartplan.core.problems import ChangeRefusedError

VERSIONS_PER_PAGE = 30


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("Needed when a final value changes."),
    )


def problem_messages(refused: ChangeRefusedError) -> list[str]:
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
                problems = problem_messages(refused)
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
