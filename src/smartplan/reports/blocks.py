"""A report's content as typed blocks, built once and turned into HTML/PDF or Word.

The content modules (``annual_content``, ``quarterly_content``) decide everything a reader
sees: the texts, their order, the numbers as formatted strings. The renderers
(``html_renderer``, ``docx_renderer``) map each block type to their format and decide
nothing about content, so the formats cannot drift apart (``tests/test_content_parity``).

The primitives:

- ``Heading``: a level (1–3), its text, an anchor for links, whether it is in the contents
  and whether it is a bookmark of its own (sub-headings of a card are not);
- ``Paragraph``: runs of text, some bold or italic; ``\\n`` inside a run is a line break;
- ``BulletList``: items (each a paragraph), numbered or not;
- ``Table``: columns (width, alignment), header rows (repeated on every page), rows that are
  body, total or group rows, a caption; cells may span columns and hold paragraphs and lists;
- ``Figure``: a chart (``charts.Chart``) drawn as panels, each with its caption and alt
  text, and its data as a ``Table``;
- ``Group``: blocks kept together (a project or indicator card);
- ``Appendix``: a numbered part with its own running header, portrait or landscape.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from smartplan.reports.charts import Chart


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Literal["", "meta"] = ""  # "meta": a line of details, in a quieter colour

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""
    contents: bool = False  # listed in the report's contents
    bookmark: bool = True  # an entry of the PDF outline


CellContent = str | tuple[Paragraph | BulletList, ...]


@dataclass(frozen=True)
class Cell:
    content: CellContent
    span: int = 1  # columns it takes
    header: bool = False  # a label cell of a key–value table


RowKind = Literal["body", "total", "group"]


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = "body"


@dataclass(frozen=True)
class Column:
    width: float = 0.0  # share of the table's width; 0: as the renderer sees fit
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    header: tuple[tuple[str, ...], ...]
    rows: tuple[Row, ...]
    caption: str = ""
    repeat_header: bool = True
    fixed: bool = False  # the columns keep their widths (the stack's ten columns)


@dataclass(frozen=True)
class FigurePanel:
    caption: str
    alt: str


@dataclass(frozen=True)
class Figure:
    chart: Chart  # draws the panels' pictures, as SVG or PNG
    panels: tuple[FigurePanel, ...]
    data: Table  # the chart's figures, for readers who cannot see the picture


@dataclass(frozen=True)
class Group:
    """Blocks that belong together, as a card: kept on one page where they fit."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Appendix:
    number: str  # "01"
    blocks: tuple[Block, ...]
    landscape: bool = False


Block = Heading | Paragraph | BulletList | Table | Figure | Group | Appendix


@dataclass(frozen=True)
class TitlePage:
    title: str
    lines: tuple[str, ...]
    approval: str = ""  # "Schváleno: …" once approved


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str
    label: str
    sub: bool


@dataclass
class ReportContent:
    title: str  # the document's title (metadata, <title>)
    running: str  # the running header of every page
    title_page: TitlePage
    blocks: list[Block] = field(default_factory=list)
    contents: bool = False  # has a table of contents

    def contents_entries(self) -> list[ContentsEntry]:
        """The headings listed in the contents; those of appendices and sections indented."""
        return [
            ContentsEntry(heading.anchor, heading.text, heading.level > 1 or appendix)
            for heading, appendix in _headings(self.blocks, False)
            if heading.contents
        ]


def _headings(blocks: Sequence[Block], in_appendix: bool) -> Iterator[tuple[Heading, bool]]:
    for block in blocks:
        if isinstance(block, Heading):
            yield block, in_appendix
        elif isinstance(block, Group):
            yield from _headings(block.blocks, in_appendix)
        elif isinstance(block, Appendix):
            yield from _headings(block.blocks, True)


# -- building blocks tersely in the content modules ----------------------------------------
def text(*parts: str | Run, style: Literal["", "meta"] = "") -> Paragraph:
    """A paragraph of plain strings and emphasised runs."""
    return Paragraph(tuple(Run(p) if isinstance(p, str) else p for p in parts), style)


def bold(value: str) -> Run:
    return Run(value, bold=True)


def italic(value: str) -> Run:
    return Run(value, italic=True)


def bullets(items: Sequence[str], numbered: bool = False) -> BulletList:
    return BulletList(tuple(text(item) for item in items), numbered)


def row(*cells: str | Cell, kind: RowKind = "body") -> Row:
    return Row(tuple(Cell(c) if isinstance(c, str) else c for c in cells), kind)


def columns(*spec: str) -> tuple[Column, ...]:
    """``columns("l", "r:12")``: alignment and optionally a width in per cent."""
    result = []
    for item in spec:
        align, _, width = item.partition(":")
        result.append(Column(float(width or 0) / 100, "right" if align == "r" else "left"))
    return tuple(result)
