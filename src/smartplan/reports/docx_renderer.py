"""A report's blocks as a Word document with real styles (Heading 1–3, List Bullet, Caption),
a contents field Word and LibreOffice fill in, page numbers, a running header ("PŘÍLOHA
ČÍSLO: 01" in the appendices), landscape appendices and table header rows that repeat on
every page.

Each block type maps to its Word form; nothing here decides what the report says (that is
``annual_content`` and ``quarterly_content``), so Word holds the same text as the HTML.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

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
    Table,
)
from smartplan.reports.charts import Chart
from smartplan.reports.docx_body import BodyEnd
from smartplan.reports.report_content import report_content
from smartplan.reports.report_data import ReportData

FONT = "Arial"  # Word and LibreOffice (as Liberation Sans) both have it, with Czech letters
PORTRAIT, LANDSCAPE = (Cm(21), Cm(29.7)), (Cm(29.7), Cm(21))  # (width, height)
MARGIN = Cm(2)
GREY = RGBColor(0x44, 0x44, 0x44)
TOTAL_FILL = "EEF2F7"  # the background of total rows (report.css: .total td)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, text, end):
        run._r.append(element)


def _page(section: Any, header_text: str, landscape: bool) -> None:
    """Page size and orientation, the running header and the page number of a section."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = LANDSCAPE if landscape else PORTRAIT
    section.left_margin = section.right_margin = MARGIN
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.text = header_text
    header.style.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(footer, "PAGE", "1")


def _runs(target: Any, paragraph: Paragraph) -> None:
    for part in paragraph.runs:
        run = target.add_run(part.text)  # a "\n" becomes a line break
        run.bold = part.bold or None
        run.italic = part.italic or None
        if paragraph.style == "meta":
            run.font.color.rgb = GREY


class _Writer:
    def __init__(self, content: ReportContent) -> None:
        self.content = content
        self.doc = Document()
        styles = self.doc.styles
        styles["Normal"].font.name = FONT
        styles["Normal"].font.size = Pt(10)
        for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
            styles[name].font.name = FONT
        styles["Table Grid"].font.size = Pt(8.5)  # as in the PDF
        self.landscape = False
        self.body = BodyEnd(self.doc)  # blocks added in constant time (docx_body)

    # -- blocks ---------------------------------------------------------------------------
    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.body.heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            _runs(self.body.paragraph(), block)
        elif isinstance(block, BulletList):
            self.bullets(self.body, block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Group):
            for inner in block.blocks:
                self.block(inner)
        else:
            self.appendix(block)

    @staticmethod
    def bullets(container: Any, items: BulletList) -> None:
        """The list in ``container``: the document's :class:`BodyEnd` or a table cell."""
        style = "List Number" if items.numbered else "List Bullet"
        add = container.paragraph if isinstance(container, BodyEnd) else container.add_paragraph
        for item in items.items:
            _runs(add(style=style), item)

    def width(self) -> Any:
        page_width = (LANDSCAPE if self.landscape else PORTRAIT)[0]
        return page_width - 2 * MARGIN

    def table(self, block: Table) -> None:
        if block.caption:
            self.body.paragraph(block.caption, style="Caption")
        table = self.body.table(0, len(block.columns), self.width())
        table.style = "Table Grid"
        if any(column.width for column in block.columns):
            table.autofit = False
            width = self.width()
            for column, spec in zip(table.columns, block.columns, strict=True):
                column.width = int(width * spec.width) if spec.width else None
        for labels in block.header:
            row = [Cell(label, header=True) for label in labels]
            tr = self.row(table, block, row)
            if block.repeat_header:
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                tr.get_or_add_trPr().append(repeat)  # repeat the header row on every page
        for body in block.rows:
            tr = self.row(table, block, body.cells, bold=body.kind == "total")
            if body.kind == "total":
                for tc in tr.tc_lst:  # a total row is shaded, as in the PDF
                    shading = OxmlElement("w:shd")
                    shading.set(qn("w:val"), "clear")
                    shading.set(qn("w:fill"), TOTAL_FILL)
                    tc.get_or_add_tcPr().append(shading)

    def row(self, table: Any, block: Table, cells: Sequence[Cell], bold: bool = False) -> Any:
        # The row's cells are reached through its XML: ``row.cells`` walks the whole table,
        # which makes a table of thousands of rows quadratic.
        tr = table.add_row()._tr
        elements = list(tr.tc_lst)
        column = 0
        for cell in cells:
            tc = elements[column]
            if cell.span > 1:
                tc.grid_span = cell.span
                for extra in elements[column + 1 : column + cell.span]:
                    tr.remove(extra)
            right = block.columns[column].align == "right" and cell.span == 1
            self.cell(_Cell(tc, table), cell, bold or cell.header, right)
            column += cell.span
        return tr

    def cell(self, target: _Cell, cell: Cell, bold: bool, right: bool) -> None:
        first = target.paragraphs[0]
        if isinstance(cell.content, str):
            run = first.add_run(cell.content)
            run.bold = bold or None
            if right:
                first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            return
        for index, part in enumerate(cell.content):
            if isinstance(part, Paragraph):
                _runs(first if index == 0 else target.add_paragraph(), part)
            else:
                if index == 0 and part.items:
                    first._p.getparent().remove(first._p)
                self.bullets(target, part)

    def figure(self, figure: Figure) -> None:
        width = min(Cm(16), self.width())
        for panel, image in zip(figure.panels, figure.chart.images("png"), strict=True):
            picture = self.body.paragraph().add_run().add_picture(io.BytesIO(image), width=width)
            picture._inline.docPr.set("descr", panel.alt)
            self.body.paragraph(panel.caption, style="Caption")
        self.table(figure.data)

    def appendix(self, appendix: Appendix) -> None:
        self.landscape = appendix.landscape
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section, f"{self.content.running} – PŘÍLOHA ČÍSLO: {appendix.number}", self.landscape)
        for inner in appendix.blocks:
            self.block(inner)
        self.landscape = False

    # -- the document ---------------------------------------------------------------------
    def build(self) -> bytes:
        content, doc = self.content, self.doc
        _page(doc.sections[0], content.running, landscape=False)
        page = content.title_page
        doc.add_paragraph(page.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in page.lines:
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        if page.approval:
            doc.add_paragraph(page.approval)
        doc.add_page_break()  # type: ignore[no-untyped-call]
        if content.contents:
            style = "TOC Heading" if "TOC Heading" in [s.name for s in doc.styles] else "Heading 1"
            doc.add_paragraph("Obsah", style=style)
            _field(
                doc.add_paragraph(),
                # Levels 1–2, as the PDF's outline: a card's sub-headings (level 3) are not
                # entries of their own there either.
                'TOC \\o "1-2" \\h \\z \\u',
                "Obsah vytvoří Word nebo LibreOffice (aktualizace polí, F9).",
            )
            doc.add_page_break()  # type: ignore[no-untyped-call]
        in_appendix = False
        for block in content.blocks:
            if in_appendix and not isinstance(block, Appendix):
                _page(doc.add_section(WD_SECTION.NEW_PAGE), content.running, landscape=False)
            in_appendix = isinstance(block, Appendix)
            self.block(block)
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")  # Word fills in the contents and page fields on opening
        doc.settings.element.append(update)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


def render_content_docx(content: ReportContent) -> bytes:
    return _Writer(content).build()


def render_docx(data: ReportData, charts: list[Chart] | None = None) -> bytes:
    return render_content_docx(report_content(data, charts))
