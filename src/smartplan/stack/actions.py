"""Changing a stack item's status: check (a known status), then execute (atomic).

The only rule is that the status is one of the four of the annual report's stack table;
nothing else is recorded (no history of statuses exists).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from smartplan.core.problems import ChangeRefusedError, Problem
from smartplan.stack.models import StackItem, StackStatus


class ChangeStackStatus:
    """Move ``item`` to ``status`` (1 running … 4 pool of ideas)."""

    def __init__(self, item: StackItem, status: int | str | None) -> None:
        self.item = item
        self.status = status

    def check(self) -> list[Problem]:
        """Every problem (at most one: an unknown status), on the field ``status``."""
        try:
            known = int(self.status) in StackStatus.values if self.status is not None else False
        except (TypeError, ValueError):
            known = False
        if known:
            return []
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
            locked.status = int(self.status)
            locked.save(update_fields=["status", "updated_at"])
        self.item.status = locked.status
        return locked


def stack_status_change(*, item: StackItem, status: int | str | None) -> StackItem:
    """Change the status of a stack item (see ``ChangeStackStatus``)."""
    return ChangeStackStatus(item, status).execute()
