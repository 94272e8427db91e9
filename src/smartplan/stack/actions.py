"""Changing a stack item's status: check (a known status), then execute (atomic).

The only rule is that the status is one of the four of the annual report's stack table;
an interface that edits one item passes the version it showed (``based_on_version``), and a
change based on an older version is refused with what the item says now.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.problems import ChangeRefusedError, Problem
from smartplan.stack.models import StackItem, StackStatus


class ChangeStackStatus:
    """Move ``item`` to ``status`` (1 running … 4 pool of ideas)."""

    def __init__(
        self, item: StackItem, status: int | str | None, *, based_on_version: int | None = None
    ) -> None:
        self.item = item
        self.status = status
        self.based_on_version = based_on_version

    def check(self) -> list[Problem]:
        """Every problem (at most one: an unknown status), on the field ``status``."""
        try:
            known = int(self.status) in StackStatus.values if self.status is not None else False
        except (TypeError, ValueError):
            known = False
        if known:
            if self.based_on_version is None:
                return []
            current = StackItem.objects.filter(pk=self.item.pk).first()
            stale = current is not None and current.version != self.based_on_version
            return [self._stale(current)] if current is not None and stale else []
        return [
            Problem(
                None,
                None,
                self.status,
                _("Unknown stack status; use 1 (running) to 4 (pool of ideas)."),
                field="status",
            )
        ]

    def execute(self) -> StackItem:
        """Store the status; raises ``ChangeRefusedError`` and writes nothing on a problem."""
        problems = self.check()
        if problems:
            raise ChangeRefusedError(problems)
        assert self.status is not None  # a known status, by the check
        with transaction.atomic():
            locked = StackItem.objects.select_for_update().get(pk=self.item.pk)
            if self.based_on_version is not None and locked.version != self.based_on_version:
                raise ChangeRefusedError([self._stale(locked)])
            locked.status = int(self.status)
            locked.save(update_fields=["status", "updated_at"])
        self.item.status, self.item.version = locked.status, locked.version
        return locked

    def _stale(self, current: StackItem) -> Problem:
        return Problem(
            None,
            None,
            current.get_status_display(),
            _(
                "The stack item „%(item)s“ was changed by someone else after you opened it "
                "(its status is now %(status)s); nothing was saved. Reload it and make your "
                "change again."
            )
            % {"item": current, "status": current.get_status_display()},
            field="based_on_version",
        )


def stack_status_change(
    *, item: StackItem, status: int | str | None, based_on_version: int | None = None
) -> StackItem:
    """Change the status of a stack item (see ``ChangeStackStatus``)."""
    return ChangeStackStatus(item, status, based_on_version=based_on_version).execute()
