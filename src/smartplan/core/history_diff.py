"""What a historical record changed: field by field, old → new, formatted the Czech way.

Reads only: the previous record of each record (one query per register for a whole page
of records) and the names of the rows that foreign keys point at (one query per related
register), so a history page's query count does not grow with the number of records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_date, format_number

# Bookkeeping every save changes: not shown as a change.
NOT_SHOWN = frozenset({"id", "version", "created_at", "updated_at"})


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: its Czech label and the formatted values before and after."""

    label: str
    old: str
    new: str


@dataclass
class RecordChanges:
    """A historical record with what it changed against the previous version of its row."""

    record: Any
    previous: Any | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.record.history_type]

    @property
    def register(self) -> str:
        return str(capfirst(type(self.record).instance_type._meta.verbose_name))

    @property
    def history_url(self) -> str:
        """The row's history page in the editing interface ("" when it has none)."""
        opts = type(self.record).instance_type._meta
        try:
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.record.id]
            )
        except NoReverseMatch:
            return ""

    @property
    def object_name(self) -> str:
        try:
            return str(self.record.instance)
        except Exception:
            return f"#{self.record.id}"


def shown_fields(history_model: Any) -> list[models.Field[Any, Any]]:
    return [f for f in history_model.tracked_fields if f.name not in NOT_SHOWN]


def previous_records(records: Sequence[Any]) -> dict[int, Any]:
    """The previous record (by history time) of each of ``records``' rows, by history_id."""
    by_model: dict[Any, list[Any]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    found: dict[int, Any] = {}
    for history_model, items in by_model.items():
        older = history_model.objects.filter(id=OuterRef("id")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        links = dict(
            history_model.objects.filter(history_id__in=[r.history_id for r in items])
            .annotate(
                previous_id=Subquery(
                    older.order_by("-history_date", "-history_id").values("history_id")[:1]
                )
            )
            .values_list("history_id", "previous_id")
        )
        wanted = {p for p in links.values() if p is not None}
        # Records already at hand (a row's own history page) need no query.
        have = {r.history_id: r for r in items if r.history_id in wanted}
        missing = wanted - set(have)
        if missing:
            have.update(
                {r.history_id: r for r in history_model.objects.filter(history_id__in=missing)}
            )
        for history_id, previous_id in links.items():
            if previous_id is not None:
                found[history_id] = have[previous_id]
    return found


def records_changes(records: Sequence[Any]) -> list[RecordChanges]:
    """Each record with its field changes (a created row: its filled fields; a deleted row:
    none). Records in the order given."""
    previous = previous_records(records)
    pairs = [RecordChanges(record=r, previous=previous.get(r.history_id)) for r in records]
    names = related_names(pairs)
    for pair in pairs:
        record, before = pair.record, pair.previous
        if record.history_type == "-":
            continue
        for f in shown_fields(type(record)):
            new = getattr(record, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if before is not None and old == new:
                continue
            if before is None and new in (None, "", False):
                continue
            pair.changes.append(
                FieldChange(
                    label=str(capfirst(f.verbose_name)),
                    old=value_format(f, old, names) if before is not None else "",
                    new=value_format(f, new, names),
                )
            )
    return pairs


def related_names(pairs: Sequence[RecordChanges]) -> dict[tuple[Any, Any], str]:
    """The names of the rows foreign keys point at, one query per related register."""
    wanted: dict[Any, set[Any]] = {}
    for pair in pairs:
        for f in shown_fields(type(pair.record)):
            if not f.is_relation or f.related_model is None:
                continue
            for record in (pair.record, pair.previous):
                value = getattr(record, f.attname, None) if record is not None else None
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    names: dict[tuple[Any, Any], str] = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(list(pks)).items():
            names[(model, pk)] = str(obj)
    return names


def value_format(field: Any, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    """A stored value as a Czech reader expects it."""
    if value is None or value == "":
        return "—"
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, value), _("#%(id)s (deleted)") % {"id": value})
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_date(local.date())} {local:%H:%M}"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal | int | float) and not field.name.endswith("year"):
        return format_number(value, max_decimals=4)
    return str(value)
