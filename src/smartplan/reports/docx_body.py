"""Paragraphs and tables added at the end of a Word document's body in constant time.

python-docx adds every block before the body's last element, its section properties
(``w:sectPr``), which it finds by scanning all of the body's children; ``add_table`` also
reads the page width from the last section through an XPath over the whole body. Both grow
with the document, so a report's cost grew with the square of its length: the annual report
of a plan 100 times the demo (1 810 tables, about 130 000 body elements) spent most of its
time in those scans (profiled: 40 s in the XPath and 37 s in the scans of 310 s, against
1.6 s of 16 s at 10 times the demo). Here the section properties are found once and each
block is put before them with lxml's ``addprevious``; a table's width is the renderer's own
(the page between its margins, as python-docx computes it). The blocks are python-docx's own
``Paragraph`` and ``Table`` objects, with the document as their parent.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.table import CT_Tbl
from docx.table import Table
from docx.text.paragraph import Paragraph


class BodyEnd:
    """Adds blocks at the end of ``doc``'s body (before its section properties)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._end: Any = None

    def _place(self, element: Any) -> None:
        body = self.doc.element.body
        end = self._end
        # Still the body's last element? (A section break keeps it; anything else that
        # moved it makes one scan more.)
        if end is None or end.getparent() is not body or end.getnext() is not None:
            end = body.sectPr
            self._end = end
        if end is None:
            body.append(element)
        else:
            end.addprevious(element)

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """As ``Document.add_paragraph``."""
        p = OxmlElement("w:p")
        self._place(p)
        paragraph = Paragraph(p, self.doc)
        if text:
            paragraph.add_run(text)
        if style is not None:
            paragraph.style = style
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        """As ``Document.add_heading``."""
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def table(self, rows: int, cols: int, width: Any) -> Table:
        """As ``Document.add_table`` on a page ``width`` wide between its margins."""
        tbl = CT_Tbl.new_tbl(rows, cols, width)
        self._place(tbl)
        return Table(tbl, self.doc)
