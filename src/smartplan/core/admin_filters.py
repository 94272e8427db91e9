"""List filters of the editing interface that stay small when the data grows.

A national instance holds twenty plans, each with thousands of projects, sub-indicators and
organisations, and a million measured values. Django's related-field filter lists every row
of the related table (2 031 links above 50 stack items, 264 KB), and ``date_hierarchy``
reads the distinct years of the whole table (two seconds over a million values) on every
page. The filters here answer from a bounded amount of data instead:

- :class:`BoundedRelatedFilter` offers the rows the user may see, in the plan chosen, at
  most :data:`CHOICES_SHOWN` of them; when there are more, a search box narrows them (the
  related register's own search fields), so any row can still be chosen.
- :func:`year_filter` offers the years between a plan's first and last date, read with two
  index lookups per plan instead of a scan.
- :class:`PlanValuesFilter` lists a column's distinct values in the plan chosen only.
- :class:`CappedCountPaginator` counts at most :data:`COUNT_CAP` rows.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import build_q_object_from_lookup_parameters
from django.core.paginator import Paginator
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from smartplan.core.access_scope import plans_permitted, rows_permitted
from smartplan.core.models import PlanScoped

# How many rows a related filter lists before it asks for a search term.
CHOICES_SHOWN = 30


def plan_chosen(request: HttpRequest) -> int | None:
    """The plan the list is filtered by (``?plan__id__exact=``), if any."""
    value = request.GET.get("plan__id__exact", "")
    return int(value) if value.isdigit() else None


def _is_register(model: Any) -> bool:
    meta = model._meta
    return issubclass(model, PlanScoped) or (meta.app_label, meta.model_name) == ("plans", "plan")


def _plan_model() -> type[Model]:
    # Looked up by name: core imports no other app (core/tests/test_layers.py).
    return apps.get_model("plans", "Plan")


def _plans_worked_in(request: HttpRequest, model: type[Model]) -> QuerySet[Any]:
    """The plans in which the user may change rows of ``model`` (or, with no such role, see
    them): a coordinator's filters offer their own plan's rows first, not every published
    plan's. Answered once per request and register (a list has several such filters)."""
    meta = model._meta
    known: dict[str, QuerySet[Any]] = request.__dict__.setdefault("_smartplan_worked_in", {})
    if meta.label not in known:
        user = request.user
        changed = plans_permitted(user, f"{meta.app_label}.change_{meta.model_name}")
        if changed.exists():
            known[meta.label] = changed
        else:
            known[meta.label] = plans_permitted(user, f"{meta.app_label}.view_{meta.model_name}")
    return known[meta.label]


def _last(value: Any) -> str:
    """The last of a filter parameter's values (Django 5 keeps them as lists)."""
    if isinstance(value, list):
        return str(value[-1]) if value else ""
    return str(value or "")


class BoundedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-row filter that lists at most :data:`CHOICES_SHOWN` rows, those the user
    may see in the plan chosen, and offers a search box when there are more."""

    template = "admin/smartplan/bounded_filter.html"

    @property
    def shown(self) -> int:
        return CHOICES_SHOWN

    def __init__(
        self,
        field: Any,
        request: HttpRequest,
        params: dict[str, Any],
        model: type[Model],
        model_admin: Any,
        field_path: str,
    ) -> None:
        self.find_kwarg = f"{field_path}__find"
        self.find_term = _last(params.get(self.find_kwarg)).strip()
        self.more = False
        self.find_hidden: list[tuple[str, str]] = []
        self.searchable = False
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self) -> list[str | None]:
        return [*super().expected_parameters(), self.find_kwarg]

    def has_output(self) -> bool:
        return self.more or bool(self.find_term) or super().has_output()

    def _related_rows(self, field: Any, request: HttpRequest, model_admin: Any) -> QuerySet[Any]:
        related = field.related_model
        rows: QuerySet[Any] = related._default_manager.all()
        if _is_register(related):
            rows = rows_permitted(request.user, rows, "view")
        plan_id = plan_chosen(request)
        if related is _plan_model() and not request.user.is_superuser:
            rows = rows.filter(pk__in=_plans_worked_in(request, model_admin.model))
        if issubclass(related, PlanScoped):
            if plan_id is not None:
                rows = rows.filter(plan_id=plan_id)
            elif not request.user.is_superuser:
                rows = rows.filter(plan__in=_plans_worked_in(request, model_admin.model))
        limit = field.get_limit_choices_to()
        if limit:
            rows = rows.complex_filter(limit)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return rows.order_by(*ordering) if ordering else rows

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        rows = self._related_rows(field, request, model_admin)
        related_admin = model_admin.admin_site._registry.get(field.related_model)
        self.searchable = bool(related_admin and related_admin.get_search_fields(request))
        if self.find_term and related_admin is not None and self.searchable:
            rows, duplicates = related_admin.get_search_results(request, rows, self.find_term)
            if duplicates:
                rows = rows.distinct()
        found = list(rows[: CHOICES_SHOWN + 1])
        self.more = len(found) > CHOICES_SHOWN
        found = found[:CHOICES_SHOWN]
        target = field.target_field.attname
        chosen = _last(self.lookup_val)
        if chosen and all(str(getattr(row, target)) != chosen for row in found):
            selected = rows.model._default_manager.filter(**{target: chosen}).first()
            if selected is not None:
                found.insert(0, selected)
        return [(getattr(row, target), str(row)) for row in found]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        used: dict[str, Any] = {
            k: v for k, v in self.used_parameters.items() if k != self.find_kwarg
        }
        if not used:
            return queryset
        return queryset.filter(build_q_object_from_lookup_parameters(used))

    def choices(self, changelist: Any) -> Any:
        self.find_hidden = [
            (name, _last(value))
            for name, value in changelist.params.items()
            if name != self.find_kwarg
        ]
        yield from super().choices(changelist)


class PlanValuesFilter(admin.AllValuesFieldListFilter):
    """A column's distinct values (years, quarters) in the plan chosen, not in all plans."""

    def __init__(
        self,
        field: Any,
        request: HttpRequest,
        params: dict[str, Any],
        model: type[Model],
        model_admin: Any,
        field_path: str,
    ) -> None:
        super().__init__(field, request, params, model, model_admin, field_path)
        plan_id = plan_chosen(request)
        if plan_id is not None and issubclass(model, PlanScoped) and "__" not in field_path:
            self.lookup_choices = self.lookup_choices.filter(plan_id=plan_id)


class _YearFilter(admin.SimpleListFilter):
    """The years of a date column, from each plan's first and last date (index lookups)."""

    field_name = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        model = model_admin.model
        plans: QuerySet[Any] = rows_permitted(
            request.user, _plan_model()._default_manager.all(), "view"
        )
        plan_id = plan_chosen(request)
        if plan_id is not None:
            plans = plans.filter(pk=plan_id)
        dates = model._default_manager.filter(plan=OuterRef("pk")).values(self.field_name)
        span = plans.order_by().annotate(
            first=Subquery(dates.order_by(self.field_name)[:1]),
            last=Subquery(dates.order_by(f"-{self.field_name}")[:1]),
        )
        years: set[int] = set()
        for first, last in span.values_list("first", "last"):
            if first is not None and last is not None:
                years.update(range(_year(first), _year(last) + 1))
        return [(str(year), str(year)) for year in sorted(years, reverse=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.field_name}__year": int(value)})
        return queryset


def _year(value: Any) -> int:
    """The year of a date (SQLite may hand a subquery's date back as text)."""
    return int(str(value)[:4]) if isinstance(value, str) else int(value.year)


def year_filter(field_name: str, title: Any = None) -> type[admin.SimpleListFilter]:
    """A filter by the year of ``field_name``, in place of an unbounded ``date_hierarchy``."""
    return type(
        f"YearFilter_{field_name}",
        (_YearFilter,),
        {
            "field_name": field_name,
            "parameter_name": f"{field_name}_year",
            "title": title or _("year"),
        },
    )


# How many rows a list counts before it says "more than"; pages reach as far.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):  # type: ignore[type-arg]
    """Counts a list's rows up to :data:`COUNT_CAP`: a coordinator's first list of measured
    values covers every published plan (a million rows, a COUNT of a quarter second on every
    page). Above the cap the list says "more than 10 000" and offers no "select all"; a
    filter or a search narrows it to an exact count."""

    count_capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        counted = rows.order_by().values("pk")[: COUNT_CAP + 1].count()
        if counted > COUNT_CAP:
            self.count_capped = True
            return COUNT_CAP
        return int(counted)
