"""A report as PDF: WeasyPrint lays it out chunk by chunk, pypdf joins the chunks.

WeasyPrint keeps the layout of every page of a document in memory, and a plan a hundred
times the demo's size makes a report of thousands of pages. So the body is laid out in
chunks of about ``CHUNK_CHARS`` characters of HTML (see ``document.ReportDocument``), one
after another, each written to PDF and dropped before the next:

- each chunk starts its page counter where the previous one ended, so the page numbers run
  on through the whole report;
- the title page and the contents are laid out last, when the page of every section is
  known, and their links point to those pages;
- the outline (bookmarks) is gathered from every chunk into one tree, as WeasyPrint would
  build it for a single document.

A small report is one chunk. The fonts (DejaVu, with Czech diacritics) are embedded in
every chunk as subsets.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Fit, NameObject, TextStringObject
from weasyprint import HTML

from smartplan.reports.charts import Chart
from smartplan.reports.document import ReportDocument
from smartplan.reports.html_renderer import report_document
from smartplan.reports.report_data import ReportData

CHUNK_CHARS = 400_000
PX_TO_PT = 0.75  # WeasyPrint measures in CSS pixels (1/96 in), PDF in points (1/72 in)


@dataclass
class _Layout:
    """Where things landed in the joined PDF: page sizes, anchors, headings for the outline."""

    page_heights: list[float] = field(default_factory=list)  # in points
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    bookmarks: list[tuple[int, str, int, float, float]] = field(default_factory=list)

    def add(self, document: Any, start: int) -> None:
        """Record a laid-out document whose first page is page ``start`` (from 0)."""
        for index, page in enumerate(document.pages, start=start):
            if index == len(self.page_heights):
                self.page_heights.append(0.0)
            self.page_heights[index] = page.height * PX_TO_PT
            for anchor, (x, y, *_rest) in page.anchors.items():
                self.anchors.setdefault(anchor, (index, x, y))
            for level, label, (x, y), _state in page.bookmarks:
                self.bookmarks.append((level, label, index, x, y))

    def fit(self, page: int, x: float, y: float) -> Fit:
        return Fit.xyz(left=x * PX_TO_PT, top=self.page_heights[page] - y * PX_TO_PT)

    def rect(
        self, page: int, x1: float, y1: float, x2: float, y2: float
    ) -> tuple[float, float, float, float]:
        top = self.page_heights[page]
        return (x1 * PX_TO_PT, top - y2 * PX_TO_PT, x2 * PX_TO_PT, top - y1 * PX_TO_PT)


def _render(html: str) -> Any:
    return HTML(string=html, base_url=".").render()


def _write(document: Any) -> bytes:
    pdf: bytes = document.write_pdf()
    return pdf


def render_document_pdf(document: ReportDocument, chunk_chars: int = CHUNK_CHARS) -> bytes:
    # The front matter's length does not depend on the page numbers it shows.
    front_pages = len(_render(document.page(document.front(None))).pages)
    layout = _Layout(page_heights=[0.0] * front_pages)
    body = _body_chunks(document, layout, chunk_chars)
    front, links = _front(document, layout, front_pages)
    return _join(document, layout, [front, *body], links)


def _body_chunks(document: ReportDocument, layout: _Layout, chunk_chars: int) -> list[bytes]:
    """Lay out the body chunk by chunk, each numbered on from the last; keep only the PDFs."""
    chunks = []
    for blocks in document.chunks(chunk_chars):
        first_page = len(layout.page_heights)
        counter = f"@page :first {{ counter-reset: page {first_page + 1} }}"
        laid_out = _render(document.page(document.body(blocks), counter))
        layout.add(laid_out, first_page)
        chunks.append(_write(laid_out))
    return chunks


Links = dict[tuple[int, str], tuple[float, float, float, float]]


def _front(document: ReportDocument, layout: _Layout, pages: int) -> tuple[bytes, Links]:
    """The title page and contents with the sections' page numbers, and their links."""
    numbers = {anchor: index + 1 for anchor, (index, _x, _y) in layout.anchors.items()}
    front = _render(document.page(document.front(numbers)))
    if len(front.pages) != pages:
        raise RuntimeError("The contents changed length when the page numbers were filled in.")
    layout.add(front, 0)
    links: Links = {}
    for index, page in enumerate(front.pages):
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "internal" and target in layout.anchors:
                # One link per entry, around all the boxes WeasyPrint reports for it.
                a1, b1, a2, b2 = links.get((index, target), (x1, y1, x2, y2))
                links[index, target] = (min(a1, x1), min(b1, y1), max(a2, x2), max(b2, y2))
        # The targets are in other chunks: pypdf adds these links once the PDF is joined.
        page.links[:] = [link for link in page.links if link[0] != "internal"]
    return _write(front), links


def _join(document: ReportDocument, layout: _Layout, pdfs: list[bytes], links: Links) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
    for (index, target), rect in links.items():
        target_page, x, y = layout.anchors[target]
        writer.add_annotation(
            page_number=index,
            annotation=Link(
                rect=layout.rect(index, *rect),
                target_page_index=target_page,
                fit=layout.fit(target_page, x, y),
            ),
        )
    _add_outline(writer, layout)
    writer.add_metadata({"/Title": document.title, "/Creator": "smartplan"})
    writer.root_object[NameObject("/Lang")] = TextStringObject("cs")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_outline(writer: PdfWriter, layout: _Layout) -> None:
    """One outline for the whole report: headings nest by their level, as in WeasyPrint."""
    parents: list[tuple[int, Any]] = []  # (level, outline item)
    # In page order (the front matter is laid out last); the sort is stable within a page.
    for level, label, page, x, y in sorted(layout.bookmarks, key=lambda mark: mark[2]):
        while parents and parents[-1][0] >= level:
            parents.pop()
        item = writer.add_outline_item(
            title=label,
            page_number=page,
            parent=parents[-1][1] if parents else None,
            fit=layout.fit(page, x, y),
            is_open=False,
        )
        parents.append((level, item))


def render_pdf(data: ReportData, charts: list[Chart] | None = None) -> bytes:
    return render_document_pdf(report_document(data, charts))
