"""Output formats, each loaded on its first use.

A renderer pulls in a heavy library (WeasyPrint, python-docx, openpyxl, matplotlib through
the charts). Importing them at start-up cost every command, web worker and test process
seconds, so an app registers each format it can write by the dotted path of its renderer
(``reports`` and ``exchange`` do it in ``AppConfig.ready``), and the renderer's module is
imported only when something is first rendered in that format, in the spirit of Datasette's
``register_output_renderer``::

    output_format_register(
        family="report", name="pdf", content_type="application/pdf",
        renderer="smartplan.reports.pdf_renderer.render_pdf",
    )
    output_format(family="report", name="pdf").render(data, charts)  # imports WeasyPrint now

A family groups formats that take the same arguments: ``report`` renderers take the report's
data and charts, ``register`` renderers a register's sheet and rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class OutputFormat:
    """One format of a family: its name (the file extension), content type and renderer."""

    family: str
    name: str
    content_type: str
    renderer: str  # dotted path of a callable returning bytes (or str, sent as UTF-8)

    def load(self) -> Callable[..., bytes | str]:
        """The renderer itself; its module (and the library behind it) is imported now."""
        renderer: Callable[..., bytes | str] = import_string(self.renderer)
        return renderer

    def render(self, *args: Any, **kwargs: Any) -> bytes:
        """Render in this format; text renderers are encoded as UTF-8."""
        content = self.load()(*args, **kwargs)
        return content.encode("utf-8") if isinstance(content, str) else content


_FORMATS: dict[tuple[str, str], OutputFormat] = {}


def output_format_register(*, family: str, name: str, content_type: str, renderer: str) -> None:
    """Make ``name`` a format of ``family``; registering the same format again replaces it."""
    _FORMATS[(family, name)] = OutputFormat(
        family=family, name=name, content_type=content_type, renderer=renderer
    )


def output_format(*, family: str, name: str) -> OutputFormat | None:
    """The registered format, or None when ``family`` has no format ``name``."""
    return _FORMATS.get((family, name))


def output_formats(*, family: str) -> list[OutputFormat]:
    """The formats of a family in the order they were registered."""
    return [found for (kind, _name), found in _FORMATS.items() if kind == family]
