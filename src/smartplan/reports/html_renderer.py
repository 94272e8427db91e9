"""A report's blocks as HTML: the preview in the browser, the HTML download, and the pieces
the PDF is laid out from (``document.ReportDocument``, cut into chunks by ``pdf_renderer``).

Each block type maps to its markup; nothing here decides what the report says.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

from django.utils.html import escape

from smartplan.reports import document as doc
from smartplan.reports.blocks import (
    Appendix,
    Block,
    BulletList,
    Cell,
    Figure,
    Group,
    Heading,
    Paragraph,
    ReportContent,
    Row,
    Table,
)
from smartplan.reports.charts import Chart
from smartplan.reports.report_content import report_content
from smartplan.reports.report_data import ReportData

CSS = (Path(__file__).resolve().parent / "templates" / "reports" / "report.css").read_text(
    encoding="utf-8"
)
NUM = ' class="num"'  # a right-aligned (number) column
ROWS_PER_BLOCK = 40  # a long table is laid out in pieces of this many rows (see document)


def _text(value: str) -> str:
    return str(escape(value)).replace("\n", "<br>")


def _runs(paragraph: Paragraph) -> str:
    out = []
    for run in paragraph.runs:
        html = _text(run.text)
        if run.italic:
            html = f"<em>{html}</em>"
        if run.bold:
            html = f"<strong>{html}</strong>"
        out.append(html)
    return "".join(out)


def _paragraph(paragraph: Paragraph) -> str:
    css = f' class="{paragraph.style}"' if paragraph.style else ""
    return f"<p{css}>{_runs(paragraph)}</p>\n"


def _list(items: BulletList) -> str:
    tag = "ol" if items.numbered else "ul"
    inner = "".join(f"<li>{_runs(item)}</li>" for item in items.items)
    return f'<{tag} class="points">{inner}</{tag}>\n'


def _heading(heading: Heading) -> str:
    anchor = f' id="{escape(heading.anchor)}"' if heading.anchor else ""
    css = "" if heading.bookmark else ' class="no-bookmark"'
    return f"<h{heading.level}{anchor}{css}>{_text(heading.text)}</h{heading.level}>\n"


def _cell(cell: Cell, align: str) -> str:
    tag = "th" if cell.header else "td"
    attributes = f' colspan="{cell.span}"' if cell.span > 1 else ""
    if align == "right" and cell.span == 1:
        attributes += NUM
    if isinstance(cell.content, str):
        inner = _text(cell.content)
    else:
        inner = "".join(
            _paragraph(part) if isinstance(part, Paragraph) else _list(part)
            for part in cell.content
        )
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _row(table: Table, row: Row) -> str:
    cells, column = [], 0
    for cell in row.cells:
        cells.append(_cell(cell, table.columns[column].align))
        column += cell.span
    css = "" if row.kind == "body" else f' class="{row.kind}"'
    return f"<tr{css}>{''.join(cells)}</tr>\n"


def _table_frame(table: Table, css: str = "") -> doc.TableFrame:
    classes = " ".join(filter(None, [css, "fixed" if table.fixed else ""]))
    opening = [f'<table class="{classes}">\n' if classes else "<table>\n"]
    if table.caption:
        opening.append(f"<caption>{_text(table.caption)}</caption>\n")
    if any(column.width for column in table.columns):
        widths = "".join(
            f'<col style="width: {column.width * 100:g}%">' if column.width else "<col>"
            for column in table.columns
        )
        opening.append(f"<colgroup>{widths}</colgroup>\n")
    if table.header:
        heads = "".join(
            "<tr>"
            + "".join(
                f"<th{NUM if column.align == 'right' else ''}>{_text(label)}</th>"
                for label, column in zip(labels, table.columns, strict=True)
            )
            + "</tr>"
            for labels in table.header
        )
        opening.append(f"<thead>{heads}</thead>\n")
    opening.append("<tbody>\n")
    return doc.TableFrame("".join(opening), "</tbody>\n</table>\n")


def _table(table: Table, css: str = "") -> str:
    frame = _table_frame(table, css)
    return frame.opening + "".join(_row(table, row) for row in table.rows) + frame.closing


def _figure(figure: Figure) -> str:
    out = []
    for panel, image in zip(figure.panels, figure.chart.images("svg"), strict=True):
        source = base64.b64encode(image).decode("ascii")
        out.append(
            f'<figure><img src="data:image/svg+xml;base64,{source}" alt="{escape(panel.alt)}">'
            f"<figcaption>{_text(panel.caption)}</figcaption></figure>\n"
        )
    return "".join(out) + _table(figure.data, "chart-data")


def block_html(block: Block) -> str:
    """One block as HTML (an appendix's blocks without the section around them)."""
    if isinstance(block, Heading):
        return _heading(block)
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, BulletList):
        return _list(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Group):
        return '<div class="card">\n' + "".join(block_html(b) for b in block.blocks) + "</div>\n"
    return "".join(block_html(b) for b in block.blocks)


class _Pieces:
    """The blocks as pieces of HTML the PDF can be cut between."""

    def __init__(self) -> None:
        self.pieces: list[doc.Block] = []
        self.tables: dict[str, doc.TableFrame] = {}

    def add(self, blocks: Sequence[Block], appendix: str = "", landscape: bool = False) -> None:
        for block in blocks:
            if isinstance(block, Appendix):
                self.add(block.blocks, block.number, block.landscape)
            elif isinstance(block, Table) and len(block.rows) > ROWS_PER_BLOCK:
                key = f"t{len(self.tables)}"
                self.tables[key] = _table_frame(block)
                for start in range(0, len(block.rows), ROWS_PER_BLOCK):
                    rows = block.rows[start : start + ROWS_PER_BLOCK]
                    html = "".join(_row(block, row) for row in rows)
                    self.pieces.append(doc.Block(html, appendix, landscape, table=key))
            else:
                keep = isinstance(block, Heading)  # a heading stays with what follows it
                self.pieces.append(
                    doc.Block(block_html(block), appendix, landscape, keep_with_next=keep)
                )


def _front(content: ReportContent, pages: dict[str, int] | None) -> str:
    """The title page and, if the report has one, its contents with page numbers."""
    page = content.title_page
    lines = "".join(f"<p>{_text(line)}</p>\n" for line in page.lines)
    approval = f'<p class="meta">{_text(page.approval)}</p>\n' if page.approval else ""
    html = (
        f'<section class="title-page">\n<h1>{_text(page.title)}</h1>\n{lines}{approval}</section>\n'
    )
    if not content.contents:
        return html
    entries = []
    for entry in content.contents_entries():
        number = (pages or {}).get(entry.anchor)
        data_page = f' data-page="{number}"' if number else ""
        css = ' class="sub"' if entry.sub else ""
        entries.append(
            f'<li{css}><a href="#{escape(entry.anchor)}"{data_page}>{_text(entry.label)}</a></li>\n'
        )
    return html + (
        '<nav class="toc">\n<h1 class="first">Obsah</h1>\n<ul>\n'
        + "".join(entries)
        + "</ul>\n</nav>\n"
    )


def content_document(content: ReportContent) -> doc.ReportDocument:
    """The report as a document of HTML pieces (for the whole page or the PDF's chunks)."""
    pieces = _Pieces()
    pieces.add(content.blocks)
    return doc.ReportDocument(
        title=content.title,
        running=content.running,
        css=CSS,
        front=lambda pages: _front(content, pages),
        blocks=pieces.pieces,
        tables=pieces.tables,
    )


def report_document(data: ReportData, charts: list[Chart] | None = None) -> doc.ReportDocument:
    """The report's document in Czech, with its charts drawn as SVG."""
    return content_document(report_content(data, charts))


def render_html(data: ReportData, charts: list[Chart] | None = None) -> str:
    """The report in Czech as one page, with its charts embedded."""
    return report_document(data, charts).html()
