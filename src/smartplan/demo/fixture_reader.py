"""Reads a plan fixture folder (YAML files) and checks its shape before anything is written.

A fixture error names the file and the path inside it, e.g.
``stack.yaml: items[12].guarantor: neznámý odbor „Odbor X“``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from smartplan.core.errors import FixtureError

FIXTURE_FILES = ("plan.yaml", "projects.yaml", "indicators.yaml", "stack.yaml")


@dataclass(frozen=True)
class Node:
    """A value inside a fixture file, with the place it came from for error messages."""

    value: Any
    where: str

    def error(self, message: str) -> FixtureError:
        return FixtureError(f"{self.where}: {message}")

    def __getitem__(self, key: str) -> Node:
        if not isinstance(self.value, dict):
            raise self.error(_("a mapping (key: value) is expected here"))
        if key not in self.value:
            raise self.error(_("the key “%(key)s” is missing") % {"key": key})
        return Node(self.value[key], self._child(key))

    def get(self, key: str, default: Any = None) -> Node:
        if not isinstance(self.value, dict):
            raise self.error(_("a mapping (key: value) is expected here"))
        return Node(self.value.get(key, default), self._child(key))

    def _child(self, key: str) -> str:
        # The file name is followed by ": ", keys inside it by ".": "stack.yaml: items[3].name".
        return f"{self.where} {key}" if self.where.endswith(":") else f"{self.where}.{key}"

    def items(self) -> list[Node]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.error(_("a list is expected here"))
        return [Node(item, f"{self.where}[{index}]") for index, item in enumerate(self.value)]

    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, bool | list | dict):
            raise self.error(_("text is expected here"))
        return str(self.value).strip()

    def required_text(self) -> str:
        value = self.text()
        if not value:
            raise self.error(_("this must not be empty"))
        return value

    def optional_text(self) -> str | None:
        return self.text() or None

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int | str):
            raise self.error(
                _("a whole number is expected, not “%(value)s”") % {"value": self.value}
            )
        try:
            return int(self.value)
        except ValueError:
            raise self.error(
                _("a whole number is expected, not “%(value)s”") % {"value": self.value}
            ) from None

    def optional_integer(self) -> int | None:
        return None if self.value in (None, "") else self.integer()

    def decimal(self) -> Decimal:
        if isinstance(self.value, float):
            # Floats lose cents; the fixture writes amounts as quoted strings.
            raise self.error(_("write the number in quotes (“7.5”), not as a float"))
        try:
            return Decimal(str(self.value))
        except InvalidOperation:
            raise self.error(
                _("a number is expected, not “%(value)s”") % {"value": self.value}
            ) from None

    def optional_decimal(self) -> Decimal | None:
        return None if self.value in (None, "") else self.decimal()

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(_("true or false is expected"))
        return self.value

    def date(self) -> dt.date:
        if isinstance(self.value, dt.date):
            return self.value
        text = str(self.value)
        try:
            if len(text) == 7:  # "2020-11": a month
                return dt.date.fromisoformat(f"{text}-01")
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.error(
                _("a date YYYY-MM-DD is expected, not “%(value)s”") % {"value": self.value}
            ) from None

    def optional_date(self) -> dt.date | None:
        return None if self.value in (None, "") else self.date()

    def text_list(self) -> list[str]:
        return [item.required_text() for item in self.items()]

    def paragraphs(self) -> str:
        """A list of points stored as paragraphs separated by a blank line."""
        return "\n\n".join(self.text_list())


def read_fixture(folder: Path) -> dict[str, Node]:
    """Parse every fixture file of ``folder``; a missing or broken file is a FixtureError."""
    documents: dict[str, Node] = {}
    for name in FIXTURE_FILES:
        path = folder / name
        if not path.is_file():
            raise FixtureError(_("%(file)s: the file is missing") % {"file": path})
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise FixtureError(
                _("%(file)s: not valid YAML (%(detail)s)") % {"file": name, "detail": exc}
            ) from None
        documents[name] = Node(content, f"{name}:")
    return documents
