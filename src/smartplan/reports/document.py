"""A report as a sequence of HTML blocks, assembled into one page or cut into chunks.

The browser preview and the HTML download are the whole document at once. The PDF is laid
out chunk by chunk (see ``pdf_renderer``); ``html_renderer`` makes the blocks from the
report's content so that a report of thousands of pages never holds
more than one chunk's layout in memory. Blocks make that possible without cutting HTML:

- a block is a piece of the body that stands on its own (a heading with its text, a card);
- a block may be rows of a table: consecutive rows of the same table are wrapped in one
  ``<table>``, opened again with its header in the next chunk;
- a block knows the appendix it belongs to, so every chunk restores the running header
  ("PŘÍLOHA ČÍSLO: 02") and the appendix page style;
- a heading block is kept with the block after it, so no chunk ends with a heading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape


@dataclass(frozen=True)
class Block:
    html: str
    appendix: str = ""  # "01", "02"… inside an appendix
    landscape: bool = False  # the appendix's pages are landscape
    table: str = ""  # key of the table whose rows these are
    keep_with_next: bool = False


@dataclass(frozen=True)
class TableFrame:
    """The parts of a table around its rows: the opening with ``<thead>``, and the end."""

    opening: str
    closing: str


@dataclass
class ReportDocument:
    title: str  # the <title>
    running: str  # the running header of every page
    css: str
    front: Callable[[dict[str, int] | None], str]  # title page (and contents) with page numbers
    blocks: list[Block]
    tables: dict[str, TableFrame] = field(default_factory=dict)

    def html(self) -> str:
        """The whole report as one HTML page (preview, download)."""
        return self.page(self.front(None) + self.body(self.blocks))

    def page(self, body: str, extra_css: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="cs">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(self.title)}</title>\n<style>{self.css}{extra_css}</style>\n"
            f'</head>\n<body data-running="{escape(self.running)}">\n{body}\n</body>\n</html>\n'
        )

    def body(self, blocks: Sequence[Block]) -> str:
        """The blocks' HTML with appendix sections and tables opened and closed around them."""
        out: list[str] = []
        appendix = table = ""
        for block in blocks:
            if table and (block.table != table or block.appendix != appendix):
                out.append(self.tables[table].closing)
                table = ""
            if block.appendix != appendix:
                if appendix:
                    out.append("</section>\n")
                if block.appendix:
                    wide = " wide" if block.landscape else ""
                    out.append(
                        f'<section class="appendix{wide}" data-appendix="{block.appendix}">\n'
                    )
                appendix = block.appendix
            if block.table and block.table != table:
                out.append(self.tables[block.table].opening)
                table = block.table
            out.append(block.html)
        if table:
            out.append(self.tables[table].closing)
        if appendix:
            out.append("</section>\n")
        return "".join(out)

    def chunks(self, limit: int) -> list[list[Block]]:
        """The blocks in runs of about ``limit`` characters of HTML, in order.

        A run ends only between blocks, and never right after a heading block; a block
        larger than the limit is a run of its own.
        """
        runs: list[list[Block]] = [[]]
        size = 0
        for block in self.blocks:
            current = runs[-1]
            if current and size + len(block.html) > limit and not current[-1].keep_with_next:
                runs.append([])
                size = 0
            runs[-1].append(block)
            size += len(block.html)
        return [run for run in runs if run]
