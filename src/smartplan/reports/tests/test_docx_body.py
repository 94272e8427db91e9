"""Blocks added at the body's end in constant time (docx_body) make the document
python-docx's own ``add_*`` make, also across a section break."""

from docx import Document
from docx.enum.section import WD_SECTION
from docx.shared import Cm

from smartplan.reports.docx_body import BodyEnd


def _built(fast: bool) -> bytes:
    doc = Document()
    body = BodyEnd(doc)
    for number in range(3):
        if fast:
            body.heading(f"Kapitola {number}", 1)
            body.paragraph("Text odstavce", style="Caption")
            last = doc.sections[-1]  # the renderer knows its page: here it is read
            assert last.page_width is not None
            assert last.left_margin is not None
            assert last.right_margin is not None
            table = body.table(2, 3, last.page_width - last.left_margin - last.right_margin)
        else:
            doc.add_heading(f"Kapitola {number}", 1)
            doc.add_paragraph("Text odstavce", style="Caption")
            table = doc.add_table(rows=2, cols=3)
        table.style = "Table Grid"
        table.cell(0, 0).text = f"buňka {number}"
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        section.left_margin = section.right_margin = Cm(2.5)
    (body.paragraph() if fast else doc.add_paragraph()).add_run("konec")
    xml: str = doc.element.body.xml
    return xml.encode()


def test_the_body_is_the_one_python_docx_builds():
    fast = _built(fast=True)
    assert fast == _built(fast=False)
    assert fast.count(b"<w:tbl>") == 3
    assert fast.rstrip().endswith(b"</w:sectPr>\n</w:body>")
