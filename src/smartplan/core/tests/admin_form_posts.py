"""Submitting an admin page's form as a browser would: every input, select and textarea of
the form with its current value (checkboxes when checked, the empty templates left out)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormFields(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name", "")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data.append((name, attributes.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data.append((name, attributes.get("value", "")))
        elif tag == "select" and name and "__prefix__" not in name:
            self._select, self._select_multiple, self._options = (
                name,
                "multiple" in attributes,
                [],
            )
        elif tag == "option" and self._select is not None:
            self._option_value = attributes.get("value")
            self._option_text = ""
            self._options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            self.data.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.data.append((self._textarea, text))
            self._textarea = None


def form_data(html: str, form_id: str) -> dict[str, Any]:
    """The data a browser would post from the form ``form_id`` (lists for repeated names)."""
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict[str, Any] = {}
    for name, value in parser.data:
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    return data
