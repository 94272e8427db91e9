"""Problems found before a write: every one of them, each with its place.

The place is a sheet, row and column for a file, or a field for a form or an API item
(``field`` is the name a form or serializer knows the input by; ``column`` is what the
user sees in a file's header). Checks collect every problem first and refuse the whole
write with all of them, so a user fixes a file once, not once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from smartplan.core.errors import SmartplanError


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    value: Any
    message: str
    sheet: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        place = ", ".join(where)
        value = f" „{self.value}“" if self.value not in (None, "") else ""
        return f"{place}:{value} {self.message}" if place else f"{self.message}{value}"


class ChangeRefusedError(SmartplanError):
    """A change was refused; nothing was written. Lists every problem found."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem], *, header: str | None = None) -> None:
        self.problems = list(problems)
        if header is None:
            header = ngettext(
                "Nothing was saved (%(count)s problem):",
                "Nothing was saved (%(count)s problems):",
                len(self.problems),
            ) % {"count": len(self.problems)}
        super().__init__("\n".join([header, *(f"- {problem}" for problem in self.problems)]))


class ImportRefusedError(ChangeRefusedError):
    """The file was not imported; nothing was written. Lists every problem found."""

    def __init__(self, problems: Sequence[Problem], *, source: str = "") -> None:
        header = ngettext(
            "%(source)s was not imported (%(count)s problem); nothing was written:",
            "%(source)s was not imported (%(count)s problems); nothing was written:",
            len(problems),
        ) % {
            "source": source or _("The file"),
            "count": len(problems),
        }
        super().__init__(problems, header=header)
