"""Import problems: every one of them, each with its place in the file."""

from __future__ import annotations

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


class ImportRefusedError(SmartplanError):
    """The file was not imported; nothing was written. Lists every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = problems
        header = ngettext(
            "%(source)s was not imported (%(count)s problem); nothing was written:",
            "%(source)s was not imported (%(count)s problems); nothing was written:",
            len(problems),
        ) % {
            "source": source or _("The file"),
            "count": len(problems),
        }
        super().__init__("\n".join([header, *(f"- {problem}" for problem in problems)]))
