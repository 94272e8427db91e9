"""Optimistic locking: an edit based on an old version of a row is refused, never saved.

Every register row carries ``version``, raised by one on each save. A save sends
``UPDATE … WHERE id = %s AND version = <the version the edit started from>``; when no row
matches although the row exists, someone else saved it in between and the save raises
:class:`StaleEditError` instead of overwriting their change. The conditional update makes
the check and the write one statement, so two editors racing on SQLite or PostgreSQL
cannot both win.

Forms and API requests say which version they started from by setting ``obj.version`` to
the version they showed (a hidden form field, the ``If-Match`` header) before saving.
Bulk writes (``bulk_update``, ``QuerySet.update``) bypass ``save``; they must raise the
version themselves with :func:`version_bump`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError


class StaleEditError(SmartplanError):
    """The row changed since the edit started: the edit would overwrite someone's change."""

    exit_code = 4

    def __init__(self, obj: models.Model, *, based_on: int, current: int | None) -> None:
        self.obj = obj
        self.based_on = based_on
        self.current = current
        super().__init__(
            _(
                "„%(object)s“ was changed by someone else in the meantime (version %(current)s; "
                "your edit started from version %(based_on)s). Reload it and make your "
                "change again."
            )
            % {"object": obj, "current": current, "based_on": based_on}
        )


def version_bump() -> CombinedExpression:
    """The expression a bulk update sets ``version`` to."""
    return F("version") + 1


class Versioned(models.Model):
    """A row whose saves are checked against the version the edit started from."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        based_on = self.version
        updating = not self._state.adding and self.pk is not None
        if updating:
            self._version_based_on = based_on
            self.version = based_on + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = based_on
            raise
        finally:
            self.__dict__.pop("_version_based_on", None)

    def _do_update(
        self,
        base_qs: Any,
        using: Any,
        pk_val: Any,
        values: Any,
        update_fields: Any,
        forced_update: Any,
    ) -> bool:
        based_on = self.__dict__.get("_version_based_on")
        if based_on is None or not values:
            return bool(
                super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
            )
        if base_qs.filter(pk=pk_val, version=based_on)._update(values) > 0:
            return True
        current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
        if current is None:
            return False  # the row is gone: Django inserts it again, as it always has
        raise StaleEditError(self, based_on=based_on, current=current)
