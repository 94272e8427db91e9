"""Reverting history: one row to an earlier version, or a whole change set.

A revert is an edit like any other: the user must be allowed to change the row
(``user.has_perm("<app>.change_<model>", obj)``; adding it back or deleting it when a whole
change set is reverted needs the add or delete permission), and the row's own rules apply.
Registers whose writes go through an action (a measurement, a stack item's status, a
yearly fulfilment) register a *revert rule* here from their app, so core imports none of
them; other rows are checked with ``full_clean()`` and saved. Every revert is one
transaction and one change set with the channel ``revert``; a refused revert raises
``ChangeRefusedError`` with the rules' Czech problems and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.models import ChangeSet
from smartplan.core.problems import ChangeRefusedError, Problem

# Fields a revert never puts back: identity, bookkeeping, and the plan a row belongs to.
NOT_REVERTED = frozenset({"id", "version", "created_at", "updated_at", "plan"})


@dataclass
class RevertTarget:
    """A row to bring back to ``values`` (attname → value), on behalf of ``user``."""

    obj: models.Model
    values: dict[str, Any]
    user: Any
    reason: str = ""

    def changed(self) -> dict[str, Any]:
        """The values that differ from the row as it is now."""
        return {k: v for k, v in self.values.items() if getattr(self.obj, k) != v}


RevertRule = Callable[[RevertTarget], None]
_rules: dict[str, RevertRule] = {}


def revert_rule_register(model: str, rule: RevertRule) -> None:
    """Let ``rule`` write reverts of ``model`` ("app_label.model_name"): it applies
    ``target.values`` through the register's action and raises ``ChangeRefusedError``
    (writing nothing) when the action's rules refuse them."""
    _rules[model] = rule


def revert_rule_needs_reason(model: type[models.Model]) -> bool:
    """Whether a revert of ``model`` asks for a reason (measurements: a final value)."""
    return model._meta.label_lower in _reason_models


_reason_models: set[str] = set()


def revert_reason_register(model: str) -> None:
    """The revert form of ``model`` offers a reason field (kept by the register's action)."""
    _reason_models.add(model)


def revert_rule_default(target: RevertTarget) -> None:
    for name, value in target.values.items():
        setattr(target.obj, name, value)
    try:
        target.obj.full_clean()
    except ValidationError as exc:
        raise ChangeRefusedError(
            [
                Problem(None, None, None, " ".join(messages), field=name)
                for name, messages in exc.message_dict.items()
            ]
        ) from None
    target.obj.save()


def record_values(record: Any) -> dict[str, Any]:
    """The values a historical record holds, by attname, without the ones never reverted."""
    return {
        field.attname: getattr(record, field.attname)
        for field in type(record).tracked_fields
        if field.name not in NOT_REVERTED and field.attname not in NOT_REVERTED
    }


def _permission(user: Any, action: str, obj: models.Model) -> None:
    opts = obj._meta
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj):
        messages = {
            "change": _("You may not change „%(object)s“ (%(register)s)."),
            "add": _("You may not add „%(object)s“ back (%(register)s)."),
            "delete": _("You may not delete „%(object)s“ (%(register)s)."),
        }
        raise ChangeRefusedError([Problem(None, None, None, messages[action] % _names(obj))])


def _names(obj: models.Model) -> dict[str, Any]:
    return {"object": obj, "register": obj._meta.verbose_name}


def _restore(target: RevertTarget) -> None:
    rule = _rules.get(target.obj._meta.label_lower, revert_rule_default)
    try:
        rule(target)
    except ChangeRefusedError as refused:
        # Name the row: a whole change set's revert lists problems of many rows.
        raise ChangeRefusedError(
            [
                Problem(
                    None,
                    None,
                    None,
                    _("„%(object)s“ (%(register)s): %(problem)s")
                    % {**_names(target.obj), "problem": problem},
                )
                for problem in refused.problems
            ]
        ) from None


def record_revert(*, record: Any, user: Any, reason: str = "") -> ChangeSet | None:
    """Bring a row back to the version ``record`` holds (a row deleted since is added back).

    Returns the revert's change set (None when the row already is as the record).
    """
    if record.history_type == "-":
        raise ChangeRefusedError(
            [
                Problem(
                    None, None, None, _("A deleted state cannot be brought back; delete the row.")
                )
            ]
        )
    model = type(record).instance_type
    values = record_values(record)
    label = _("Revert of „%(object)s“ to version %(version)s") % {
        "object": record.instance,
        "version": record.version,
    }
    with (
        transaction.atomic(),
        change_set_open(
            channel=Channel.REVERT, user=user, label=label, plan=_plan_of(record)
        ) as scope,
    ):
        current = model._default_manager.select_for_update().filter(pk=record.id).first()
        if current is None:
            _add_back(record, user)
        else:
            _permission(user, "change", current)
            target = RevertTarget(obj=current, values=values, user=user, reason=reason)
            if not target.changed():
                return None
            _restore(target)
        return scope.change_set


def _plan_of(record: Any) -> int | None:
    if type(record).instance_type._meta.label_lower == "plans.plan":
        return int(record.id)
    plan_id = getattr(record, "plan_id", None)
    return int(plan_id) if plan_id else None


def _add_back(record: Any, user: Any) -> None:
    obj = record.instance  # the row as it was, with its primary key
    _permission(user, "add", obj)
    obj.version = 1
    obj._state.adding = True
    try:
        obj.full_clean(validate_unique=True)
    except ValidationError as exc:
        raise ChangeRefusedError(
            [
                Problem(
                    None,
                    None,
                    None,
                    _("„%(object)s“ (%(register)s): %(problem)s")
                    % {**_names(obj), "problem": " ".join(messages)},
                )
                for messages in exc.message_dict.values()
            ]
        ) from None
    obj.save(force_insert=True)


def change_set_records(change_set: ChangeSet) -> list[Any]:
    """Every historical record of ``change_set``, oldest first (one query per register)."""
    records: list[Any] = []
    for label in change_set.registers:
        history = historical_model(label)
        if history is not None:
            records.extend(
                history.objects.filter(change_set=change_set).select_related("history_user")
            )
    records.sort(key=lambda r: (r.history_date, r.history_id))
    return records


def historical_model(label: str) -> Any:
    """The historical model of the register ``label`` ("app_label.model_name"), or None."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    history = getattr(model, "history", None)
    return history.model if history is not None else None


def _rows_of(records: Iterable[Any]) -> dict[tuple[Any, Any], list[Any]]:
    rows: dict[tuple[Any, Any], list[Any]] = {}
    for record in records:
        rows.setdefault((type(record), record.id), []).append(record)
    return rows


def change_set_revert(*, change_set: ChangeSet, user: Any, reason: str = "") -> ChangeSet | None:
    """Undo a whole change set (e.g. an import) as one new change set, in one transaction.

    Refused, naming the rows, when a later change set changed any of its rows, or when the
    user may not change (add, delete) every one of them, or when a row's rules refuse it.
    """
    if change_set.reverted_by_id is not None:
        raise ChangeRefusedError(
            [Problem(None, None, None, _("This change set has already been reverted."))]
        )
    rows = _rows_of(change_set_records(change_set))
    later = _later_changes(change_set, rows)
    if later:
        raise ChangeRefusedError(
            [
                Problem(
                    None,
                    None,
                    None,
                    _("„%(object)s“ (%(register)s) was changed later, in change set %(number)s.")
                    % {
                        "object": record.instance,
                        "register": record.instance_type._meta.verbose_name,
                        "number": record.change_set_id or "—",
                    },
                )
                for record in later
            ],
            header=_("The change set cannot be reverted: rows of it were changed since."),
        )
    label = _("Revert of change set %(number)s") % {"number": change_set.pk}
    with (
        transaction.atomic(),
        change_set_open(
            channel=Channel.REVERT, user=user, label=label, plan=change_set.plan_id
        ) as scope,
    ):
        problems: list[Problem] = []
        # Rows created by the change set go first, newest first (children before parents);
        # then the changed rows, then those it deleted, oldest first.
        created = [(k, v) for k, v in rows.items() if v[0].history_type == "+"]
        created.sort(
            key=lambda item: (item[1][0].history_date, item[1][0].history_id), reverse=True
        )
        for (model, pk), _records in created:
            obj = model.instance_type._default_manager.filter(pk=pk).first()
            if obj is None:
                continue
            try:
                _permission(user, "delete", obj)
                obj.delete()
            except ChangeRefusedError as refused:
                problems.extend(refused.problems)
            except (models.ProtectedError, models.RestrictedError):
                problems.append(
                    Problem(
                        None,
                        None,
                        None,
                        _("„%(object)s“ (%(register)s) is still used by other rows.") % _names(obj),
                    )
                )
        others = [(k, v) for k, v in rows.items() if v[0].history_type != "+"]
        others.sort(key=lambda item: (item[1][0].history_date, item[1][0].history_id))
        before = _records_before(change_set, [k for k, _v in others])
        for key, _records in others:
            previous = before.get(key)
            if previous is None:
                continue  # no earlier version known: nothing to go back to
            try:
                current = key[0].instance_type._default_manager.filter(pk=key[1]).first()
                if current is None:
                    _add_back(previous, user)
                    continue
                _permission(user, "change", current)
                target = RevertTarget(
                    obj=current, values=record_values(previous), user=user, reason=reason
                )
                if target.changed():
                    _restore(target)
            except ChangeRefusedError as refused:
                problems.extend(refused.problems)
        if problems:
            raise ChangeRefusedError(problems)
        revert = scope.change_set
        if revert is not None:
            ChangeSet.objects.filter(pk=change_set.pk).update(reverted_by=revert)
            change_set.reverted_by = revert
        return revert


def _later_changes(change_set: ChangeSet, rows: dict[tuple[Any, Any], list[Any]]) -> list[Any]:
    """For each of the change set's rows that is no longer as the change set left it, its
    newest record (written by a later change set). A later change undone since (by a revert)
    is no conflict."""
    later = []
    by_model: dict[Any, list[Any]] = {}
    for (model, pk), records in rows.items():
        by_model.setdefault(model, []).append((pk, records[-1]))
    for model, items in by_model.items():
        last = min(record.history_id for _pk, record in items)
        newer = (
            model.objects.filter(id__in=[pk for pk, _r in items], history_id__gt=last)
            .exclude(change_set=change_set)
            .order_by("id", "-history_id")
        )
        seen = set()
        ends = dict(items)
        for record in newer:
            if record.id in seen or record.history_id <= ends[record.id].history_id:
                continue
            seen.add(record.id)
            if _state(record) != _state(ends[record.id]):
                later.append(record)
    return later


def _records_before(
    change_set: ChangeSet, keys: list[tuple[Any, Any]]
) -> dict[tuple[Any, Any], Any]:
    """For each row, its newest record before the change set's first record of it."""
    by_model: dict[Any, list[Any]] = {}
    for model, pk in keys:
        by_model.setdefault(model, []).append(pk)
    before: dict[tuple[Any, Any], Any] = {}
    for model, pks in by_model.items():
        firsts = dict(
            model.objects.filter(change_set=change_set, id__in=pks)
            .values("id")
            .annotate(first=models.Min("history_id"))
            .values_list("id", "first")
        )
        candidates = model.objects.filter(id__in=pks, history_id__lt=max(firsts.values())).order_by(
            "id", "-history_id"
        )
        for record in candidates:
            key = (model, record.id)
            if key not in before and record.history_id < firsts[record.id]:
                before[key] = record
    return before


def _state(record: Any) -> tuple[Any, ...]:
    """What a record says of its row, without bookkeeping (version, times)."""
    return (
        record.history_type == "-",
        *(
            getattr(record, f.attname)
            for f in type(record).tracked_fields
            if f.name not in NOT_REVERTED or f.name == "plan"
        ),
    )
