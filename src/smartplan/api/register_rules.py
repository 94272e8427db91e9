"""What differs between registers in the API: which rows a reader sees, what a page adds to
its rows, and how a change is stored when a state change has rules of its own.

``RegisterRules`` is the common case (the rows ``rows_permitted`` allows; a change is
checked by the model's ``full_clean`` and saved). Subclasses: people hide contact details,
activities add the money spent per year, fulfilments and stack statuses go through their
actions, reports link their stored files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from smartplan.api.object_permissions import object_permitted
from smartplan.core.access_scope import rows_permitted
from smartplan.core.problems import ChangeRefusedError
from smartplan.organisations.models import Person
from smartplan.plans.models import Plan
from smartplan.projects.actions import FulfilmentEntry, SaveFulfilment
from smartplan.projects.models import ActivityFulfilment
from smartplan.reports.models import ReportFile
from smartplan.stack.actions import ChangeStackStatus


class RegisterRules:
    """The common case."""

    @classmethod
    def extra_fields(cls) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """Read-only fields a page adds to each row (for the schema)."""
        return {}

    @classmethod
    def rows(cls, user: Any, queryset: QuerySet[Any], plan_of: Callable[[], Plan]) -> QuerySet[Any]:
        """The rows ``user`` may read (``plan_of()`` reads the plan when a rule needs it)."""
        return rows_permitted(user, queryset, "view")

    @classmethod
    def may_view(cls, user: Any, obj: Model) -> bool:
        """May ``user`` read this one row (a detail)?"""
        meta = obj._meta
        return object_permitted(user, f"{meta.app_label}.view_{meta.model_name}", obj)

    @classmethod
    def extend(cls, rows: list[dict[str, Any]], *, request: Request, plan_slug: str) -> None:
        """Add what a row shows beyond its own columns (a bounded number of queries)."""

    @classmethod
    def save(cls, obj: Model, *, user: Any, changed: set[str]) -> Model:
        """Check the row as the editing interface does, then store it."""
        obj.full_clean()
        obj.save()
        return obj


class PeopleRules(RegisterRules):
    """People are read by whom the roles let view them (access/policy.py: not the public);
    their contact details only where the person agreed to publish them or the reader may
    view that person."""

    @classmethod
    def extend(cls, rows: list[dict[str, Any]], *, request: Request, plan_slug: str) -> None:
        hidden = [row for row in rows if not row["publish_contact"]]
        if not hidden:
            return
        may_view = set(
            rows_permitted(
                request.user, Person.objects.filter(pk__in=[row["id"] for row in hidden]), "view"
            ).values_list("pk", flat=True)
        )
        for row in hidden:
            if row["id"] not in may_view:
                row["email"] = row["phone"] = ""


class _YearSpent(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField()
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)


class ActivityRules(RegisterRules):
    """An activity shows the money spent in each year (its yearly fulfilments)."""

    @classmethod
    def extra_fields(cls) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "spent_per_year": _YearSpent(
                many=True, read_only=True, help_text="Money spent in each year."
            )
        }

    @classmethod
    def extend(cls, rows: list[dict[str, Any]], *, request: Request, plan_slug: str) -> None:
        spent: dict[int, list[dict[str, Any]]] = defaultdict(list)
        fulfilments = rows_permitted(
            request.user,
            ActivityFulfilment.objects.filter(activity_id__in=[row["id"] for row in rows]),
            "view",
        )
        for activity_id, year, money in fulfilments.order_by("year").values_list(
            "activity_id", "year", "spent"
        ):
            spent[activity_id].append({"year": year, "spent": format(money, "f")})
        for row in rows:
            row["spent_per_year"] = spent.get(row["id"], [])


class FulfilmentRules(RegisterRules):
    """A yearly fulfilment is stored by ``SaveFulfilment`` (its rules: money not negative,
    a year of the plan, one per activity and year)."""

    @classmethod
    def save(cls, obj: Model, *, user: Any, changed: set[str]) -> Model:
        assert isinstance(obj, ActivityFulfilment)
        entry = FulfilmentEntry(
            activity=obj.activity,
            year=obj.year,
            spent=obj.spent,
            outputs=obj.outputs,
            fulfilment_id=obj.pk,
        )
        return SaveFulfilment(entry).execute()


class StackItemRules(RegisterRules):
    """A new status is checked by ``ChangeStackStatus``."""

    @classmethod
    def save(cls, obj: Model, *, user: Any, changed: set[str]) -> Model:
        if "status" in changed:
            problems = ChangeStackStatus(obj, obj.status).check()  # type: ignore[arg-type,attr-defined]
            if problems:
                raise ChangeRefusedError(problems)
        return super().save(obj, user=user, changed=changed)


class _FileLink(serializers.Serializer[dict[str, Any]]):
    format = serializers.CharField()
    sha256 = serializers.CharField()
    url = serializers.URLField()


class ReportRules(RegisterRules):
    """A report lists its stored (approved) files with a link to each."""

    @classmethod
    def extra_fields(cls) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {"files": _FileLink(many=True, read_only=True, help_text="Stored files.")}

    @classmethod
    def extend(cls, rows: list[dict[str, Any]], *, request: Request, plan_slug: str) -> None:
        files: dict[int, list[dict[str, Any]]] = defaultdict(list)
        stored = rows_permitted(
            request.user,
            ReportFile.objects.filter(report_id__in=[row["id"] for row in rows]),
            "view",
        )
        for report_id, fmt, sha in stored.order_by("format").values_list(
            "report_id", "format", "sha256"
        ):
            url = reverse("api:report-file", args=[plan_slug, report_id, fmt])
            files[report_id].append(
                {"format": fmt, "sha256": sha, "url": request.build_absolute_uri(url)}
            )
        for row in rows:
            row["files"] = files.get(row["id"], [])
