"""A ``<select>`` for hundreds of options, rendered in Python instead of one template per
option.

Django renders each ``<option>`` through a template include; a national plan's filter of
900 flagship projects spent most of the stack's and the resources' page time there (about
0,1 s a page). :class:`LongSelect` writes the same markup Django's ``Select`` writes (the
same attributes, the same ``selected`` option, the same white space; no option groups: the
portal's filters have none) straight from the choices.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """Attributes in their order, as Django's ``attrs.html`` writes them (``flatatt`` sorts
    them): ``True`` as the bare name, ``False`` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class LongSelect(forms.Select):
    """Django's single ``Select`` without per-option templates (flat choices only)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        picked = False
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = not picked and key in chosen
            picked = picked or selected
            options.append((key, " selected" if selected else "", label))
        body = format_html_join("", '\n  <option value="{}"{}>{}</option>\n', options)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            body,
        )
