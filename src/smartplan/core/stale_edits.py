"""What changed while a user was editing: the start of an edit, carried by its form, and the diff.

An edit form carries where the edit started (:func:`edit_base_dumps`): the row's version and
the value of each field as the form showed it, signed so it cannot be forged. When the form
comes back and the row's version moved on, the save is refused (``core.versioning``) and
:func:`stale_edit_lines` says what changed meanwhile: for each field whose stored value now
differs from the value the form started from, its label, the value then and the value now.
The values travel with the form, so the diff is exact without any history table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core import signing
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from smartplan.core import czech_format

SALT = "smartplan.stale-edits"
SHOWN = 200  # characters of a long text shown in the message


class EditBaseDamagedError(ValueError):
    """The form's record of where the edit started was altered or belongs to another row."""


@dataclass(frozen=True)
class EditBase:
    """Where an edit started: the version of the row and each field's value then."""

    version: int
    values: dict[str, Any]


@dataclass(frozen=True)
class ChangeMeanwhile:
    """One field someone else changed while the form was open (values shown the Czech way)."""

    label: str
    before: str
    now: str


class EditBaseField(forms.CharField):
    """The hidden, signed start of an edit; never a change of the row itself."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


def canonical(value: Any) -> Any:
    """``value`` as comparable, JSON-serialisable data (a related row: its id)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return sorted((canonical(item) for item in value), key=str)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def _key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def edit_base_dumps(*, obj: models.Model, values: Mapping[str, Any]) -> str:
    """The signed start of an edit of ``obj``: its version and ``values`` (by form field)."""
    payload = {
        "row": _key(obj),
        "version": int(getattr(obj, "version", 0)),
        "values": {name: canonical(value) for name, value in values.items()},
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def edit_base_loads(token: str, *, obj: models.Model) -> EditBase:
    """The start of an edit of ``obj`` read back from its form; ``EditBaseDamagedError`` when
    the token was altered or was made for another row."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as bad:
        raise EditBaseDamagedError(token) from bad
    if not isinstance(payload, dict) or payload.get("row") != _key(obj):
        raise EditBaseDamagedError(token)
    return EditBase(version=int(payload["version"]), values=dict(payload["values"]))


def edit_base_damaged_message() -> str:
    return _(
        "The form's record of where your edit started is damaged; nothing was saved. "
        "Reload the page and make your change again."
    )


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    """The model's editable field called ``name`` (a form may have other inputs)."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist, or a reverse relation
        return None
    if not isinstance(field, models.Field) or not field.editable:
        return None
    return field


def stored_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The values of ``obj``'s fields ``names`` in the form an edit base keeps them."""
    values = {}
    for name in names:
        field = model_field(type(obj), name)
        if field is not None:
            values[name] = canonical(field.value_from_object(obj))
    return values


def display(field: models.Field[Any, Any] | None, value: Any) -> str:
    """A stored value (``canonical`` form) as a person reads it."""
    if value in (None, "", []):
        return _("(empty)")
    if field is not None and field.choices and not isinstance(value, list):
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(field, models.ForeignKey | models.ManyToManyField):
        related = field.related_model
        assert isinstance(related, type)
        ids = value if isinstance(value, list) else [value]
        rows = {row.pk: str(row) for row in related._default_manager.filter(pk__in=ids)}
        return ", ".join(rows.get(pk, f"#{pk}") for pk in ids)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DecimalField | models.FloatField):
        try:
            return czech_format.format_number(Decimal(str(value)), max_decimals=4)
        except InvalidOperation:
            pass
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return czech_format.format_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            pass
    text = str(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def changes_meanwhile(
    *,
    model: type[models.Model],
    before: Mapping[str, Any],
    now: Mapping[str, Any],
    labels: Mapping[str, str],
) -> list[ChangeMeanwhile]:
    """The fields whose value ``now`` differs from the value the edit started from."""
    changes = []
    for name, start in before.items():
        if name not in now or now[name] == start:
            continue
        field = model_field(model, name)
        label = labels.get(name) or (str(field.verbose_name) if field is not None else name)
        changes.append(
            ChangeMeanwhile(
                label=capfirst(str(label)),
                before=display(field, start),
                now=display(field, now[name]),
            )
        )
    return changes


def stale_edit_lines(
    *, obj: Any, changes: list[ChangeMeanwhile], deleting: bool = False
) -> list[str]:
    """The Czech refusal of a stale edit: a headline, then one line per change."""
    if deleting:
        head = _(
            "„%(object)s“ was changed by someone else after you opened this form, so it was "
            "not deleted; nothing was saved. Reload the page and decide again."
        ) % {"object": obj}
    else:
        head = _(
            "„%(object)s“ was changed by someone else after you opened this form; nothing was "
            "saved, so as not to overwrite their change. Reload the page and make your change "
            "again."
        ) % {"object": obj}
    if not changes:
        return [
            head,
            _("The change is in data this form does not show."),
        ]
    lines = [head, _("Changed meanwhile:")]
    lines.extend(
        _("%(field)s: „%(before)s“ when you opened the form, now „%(now)s“")
        % {"field": change.label, "before": change.before, "now": change.now}
        for change in changes
    )
    return lines


def stale_edit_check(
    *, obj: models.Model, base: EditBase, labels: Mapping[str, str], deleting: bool = False
) -> list[str]:
    """Compare the stored row with the start of an edit of it: ``[]`` when nobody changed it,
    else the refusal's lines (what changed meanwhile). ``obj`` is the edited row (its id)."""
    current = type(obj)._default_manager.filter(pk=obj.pk).first()
    if current is None:
        return [
            _(
                "„%(object)s“ was deleted by someone else after you opened this form; nothing "
                "was saved."
            )
            % {"object": obj}
        ]
    if int(getattr(current, "version", 0)) == base.version:
        return []
    now = stored_values(current, base.values)
    changes = changes_meanwhile(model=type(obj), before=base.values, now=now, labels=labels)
    return stale_edit_lines(obj=current, changes=changes, deleting=deleting)
