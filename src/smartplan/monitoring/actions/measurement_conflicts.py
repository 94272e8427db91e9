"""Concurrent edits of measured values: an entry based on an older version, a value stored
by someone else at the same moment. The rules are in ``measurements``' docstring; these are
the problems that report them (in Czech, with what is stored now).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from smartplan.core.czech_format import format_date, format_number
from smartplan.core.problems import Problem
from smartplan.indicators.models import Measurement

if TYPE_CHECKING:
    from collections.abc import Sequence

    from smartplan.monitoring.actions.measurements import (
        MeasurementEntry,
        SaveMeasurements,
        _Planned,
        _Stored,
    )

CONSTRAINT = "measurement_one_per_date"


def one_per_date_violated(error: IntegrityError) -> bool:
    """The database refused a second value for a sub-indicator and date."""
    text = str(error)
    if CONSTRAINT in text:  # PostgreSQL names the constraint
        return True
    # SQLite names the columns.
    table = Measurement._meta.db_table
    return f"{table}.sub_indicator_id, {table}.date" in text


def stored_description(stored: _Stored) -> str:
    """What is stored now, as the user reads it: value, state, note."""
    status = dict(Measurement._meta.get_field("status").flatchoices).get(
        stored.status, stored.status
    )
    values: dict[str, Any] = {
        "value": format_number(stored.value, max_decimals=4),
        "status": status,
        "note": stored.note or "–",
    }
    return _("value %(value)s (%(status)s), note „%(note)s“") % values


def stale_entry_problem(
    action: SaveMeasurements, entry: MeasurementEntry, existing: _Stored | None
) -> Problem | None:
    """The entry's edit started from another version than the stored one (or from no value,
    and a value was stored meanwhile): a problem naming what is stored now."""
    based_on = entry.based_on_version
    if based_on is None:
        return None
    code, date = entry.sub_indicator.code, format_date(entry.date)
    if existing is None:
        if based_on == 0:
            return None
        message = _(
            "The value of %(code)s at %(date)s was deleted by someone else after you opened "
            "the form; nothing was saved. Reload the page and enter the value again."
        ) % {"code": code, "date": date}
        return action._problem(entry, "based_on_version", None, message)
    if existing.version == based_on:
        return None
    now = {"code": code, "date": format_date(existing.date), "now": stored_description(existing)}
    if based_on == 0:
        message = (
            _(
                "Someone else stored a value of %(code)s at %(date)s while you were entering "
                "yours: %(now)s. Nothing was saved; reload the page, check that value and "
                "change it if needed."
            )
            % now
        )
    else:
        message = (
            _(
                "The value of %(code)s at %(date)s was changed by someone else after you "
                "opened the form; it is now: %(now)s. Nothing was saved, so as not to "
                "overwrite their change; reload the page and make your change again."
            )
            % now
        )
    return action._problem(entry, "based_on_version", format_number(existing.value), message)


def versions_moved(planned: Sequence[_Planned]) -> bool:
    """Did a value an edit is based on change since the check read it? (PostgreSQL holds
    them locked from the check on; this catches any other interleaving before the write.)"""
    based = {
        item.existing.pk: item.existing.version
        for item in planned
        if item.existing is not None and item.entry.based_on_version is not None
    }
    if not based:
        return False
    now = dict(Measurement.objects.filter(pk__in=based).values_list("pk", "version"))
    return now != based


def concurrent_value_problem() -> Problem:
    """Values kept being stored at the same dates by someone else while this write ran."""
    return Problem(
        None,
        None,
        None,
        _(
            "Someone else stored values at the same sub-indicators and dates at the same "
            "moment; nothing was saved. Try again."
        ),
        field="date",
    )
