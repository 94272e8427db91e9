"""Serializers, filters and sort keys of a register, derived from its model's fields.

The serializer validates writes (Czech dates and numbers accepted, references only to rows
of the same plan) and describes rows for the OpenAPI schema; list pages build rows from
``.values()`` instead (``register_rows``), in the same shape.

Filters per field kind: a reference by id (``?project=12``), a choice or yes/no by value,
a date by ``exact``/``gte``/``lte`` (Czech or ISO), a year, number or code by value (years
also by range). Sorting: any non-null column of the register that is not free text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers

from smartplan.api.fields import CzechDateField, CzechDateFormField, CzechDecimalField, IdFormField
from smartplan.api.registers import Register


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]
    field_class = IdFormField


class CzechDateFilter(django_filters.DateFilter):  # type: ignore[misc]
    field_class = CzechDateFormField


class BoundedNumberFilter(django_filters.NumberFilter):  # type: ignore[misc]
    field_class = IdFormField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


class RegisterSerializer(serializers.ModelSerializer[models.Model]):
    """Czech-typed dates and numbers; references limited to the plan in the context."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: CzechDateField,
        models.DecimalField: CzechDecimalField,
    }

    def build_standard_field(
        self, field_name: str, model_field: models.Field[Any, Any]
    ) -> tuple[type[serializers.Field[Any, Any, Any, Any]], dict[str, Any]]:
        """Integer bounds of the column type everywhere (SQLite has none of its own), so
        every database accepts the same values and the schema is the same on each."""
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        limits = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
        if limits is None:
            return field_class, kwargs
        if issubclass(field_class, serializers.IntegerField):
            low, high = limits
            kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            kwargs["max_value"] = min(kwargs.get("max_value", high), high)
        elif "validators" in kwargs:  # a choice: its choices bound it
            kwargs["validators"] = [
                validator
                for validator in kwargs["validators"]
                if not isinstance(validator, MinValueValidator | MaxValueValidator)
            ]
        return field_class, kwargs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.context.get("plan")
        if plan is None:
            return
        for field in self.fields.values():
            relation: Any = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and any(
                f.name == "plan" for f in queryset.model._meta.concrete_fields
            ):
                relation.queryset = queryset.filter(plan=plan)


def _concrete(register: Register, name: str) -> Any:
    return register.model_field(name)


@cache
def register_serializer(register: Register) -> type[RegisterSerializer]:
    """The register's serializer class (one per register, made once)."""
    attrs: dict[str, Any] = {
        name: serializers.CharField(source=path.replace("__", "."), read_only=True)
        for name, path in register.codes.items()
    }
    attrs.update(register.rules.extra_fields())
    meta = type(
        "Meta",
        (),
        {
            "model": register.model,
            "fields": [
                "id",
                "version",
                *register.codes,
                *register.fields,
                *attrs.keys() - register.codes.keys(),
            ],
            "read_only_fields": ["id", "version"],
        },
    )
    attrs["Meta"] = meta
    name = "".join(part.title() for part in register.path.split("-"))
    return type(f"{name}Serializer", (RegisterSerializer,), attrs)


def _filter_for(register: Register, name: str) -> dict[str, django_filters.Filter]:
    field = _concrete(register, name)
    if field.many_to_many:
        return {}
    if field.is_relation:
        return {name: IdFilter(field_name=field.attname, help_text=f"Id of the {name}.")}
    if isinstance(field, models.BooleanField):
        return {name: django_filters.BooleanFilter(field_name=name)}
    if field.choices:
        return {
            name: django_filters.ChoiceFilter(
                field_name=name, choices=[(str(v), str(label)) for v, label in field.choices]
            )
        }
    if isinstance(field, models.DateField):
        return {
            name: CzechDateFilter(field_name=name),
            f"{name}__gte": CzechDateFilter(field_name=name, lookup_expr="gte"),
            f"{name}__lte": CzechDateFilter(field_name=name, lookup_expr="lte"),
        }
    if name == "year":
        return {
            name: BoundedNumberFilter(field_name=name),
            "year__gte": BoundedNumberFilter(field_name=name, lookup_expr="gte"),
            "year__lte": BoundedNumberFilter(field_name=name, lookup_expr="lte"),
        }
    if name in ("number", "order", "quarter", "code") and isinstance(field, models.IntegerField):
        return {name: BoundedNumberFilter(field_name=name)}
    if name == "code":
        return {name: django_filters.CharFilter(field_name=name)}
    return {}


@cache
def register_filterset(register: Register) -> type[django_filters.FilterSet]:
    """The register's filters (see the module docstring)."""
    declared: dict[str, Any] = {}
    for name in register.fields:
        declared.update(_filter_for(register, name))
    for name, path in register.codes.items():
        declared[name] = django_filters.CharFilter(
            field_name=path, help_text=f"Code of the {name}."
        )
    meta = type("Meta", (), {"model": register.model, "fields": list(declared)})
    name = "".join(part.title() for part in register.path.split("-"))
    return type(f"{name}Filter", (django_filters.FilterSet,), {**declared, "Meta": meta})


@cache
def register_sort_keys(register: Register) -> dict[str, str]:
    """Public names allowed in ``?ordering=`` and the column each sorts by."""
    keys = {"id": "id"}
    for name in register.fields:
        field = _concrete(register, name)
        if field.many_to_many or field.null or isinstance(field, models.TextField):
            continue
        keys[name] = field.attname
    for name, path in register.codes.items():
        keys[name] = register.model_field(path.split("__")[0]).attname
    return keys
