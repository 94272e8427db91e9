"""The editing interface's open data register: feedback on datasets, answered by the plan's
coordinator (who may see it is in access/policy.py: the coordinator and the administrator)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from smartplan.core.admin_filters import year_filter
from smartplan.core.plan_admin import PlanScopedAdmin
from smartplan.opendata.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(PlanScopedAdmin):
    list_display = ("created_at", "dataset", "state", "message", "answered_at")
    list_filter = ("state", "dataset", year_filter("created_at"))
    search_fields = ("message", "answer", "email", "name")
    list_select_related = ("plan",)
    fields = (
        "plan",
        "dataset",
        "created_at",
        "name",
        "email",
        "message",
        "state",
        "answer",
        "answered_at",
        "answered_by",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any | None = None) -> Any:
        # What the public wrote stays as written; the coordinator writes the answer.
        written = ("created_at", "answered_at", "answered_by")
        if obj is None:
            return written
        return ("plan", "dataset", "name", "email", "message", *written)

    def save_model(self, request: HttpRequest, obj: Feedback, form: Any, change: bool) -> None:
        """An answer written now is stamped with who and when, and marks the report answered."""
        if "answer" in form.changed_data and obj.answer.strip():
            obj.answered_at = timezone.now()
            obj.answered_by = request.user  # type: ignore[assignment]
            if obj.state == Feedback.State.NEW:
                obj.state = Feedback.State.ANSWERED
        super().save_model(request, obj, form, change)
