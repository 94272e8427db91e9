"""The HTML and the Word report hold the same text, block by block.

Both formats are read back as their readers get them (the HTML with ``html.parser``, the
DOCX with python-docx) into one sequence of items: the title page, headings with their level,
paragraphs, list items, captions, pictures' alternative texts and tables (header rows, body
and total rows, cell by cell; a total row is known by its class in HTML and its shading
in Word). The contents are left out: a list with page numbers in the
PDF, a field Word fills in. Every other difference fails the test.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from smartplan.partnerships.models import MunicipalProject, SurveyedMunicipality
from smartplan.reports import docx_renderer, html_renderer
from smartplan.reports.blocks import ReportContent, Table
from smartplan.reports.report_content import report_content
from smartplan.reports.report_data import report_data
from smartplan.reports.services import report_get_or_create

pytestmark = pytest.mark.django_db

Item = tuple[Any, ...]


def _norm(text: str) -> str:
    return " ".join(text.split())


class _HtmlItems(HTMLParser):
    """The report's HTML page as items, in reading order."""

    BLOCKS = {"h1", "h2", "h3", "p", "li", "figcaption", "caption"}

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.stack: list[str] = []
        self.text: list[str] | None = None  # the text of the block being read
        self.table: dict[str, list[tuple[str, ...]]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.title_page = self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.stack.append(tag)
        if tag == "nav":
            self.skip = True
        elif tag == "section" and attributes.get("class") == "title-page":
            self.title_page = True
        elif tag == "table":
            self.table = {"header": [], "body": []}
        elif tag == "tr":
            self.row = ["total" if attributes.get("class") == "total" else ""]
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "img":
            self.items.append(("image", _norm(attributes.get("alt") or "")))
        elif tag in self.BLOCKS and self.cell is None:
            self.text = []
        if self.cell is not None and tag in ("br", "p", "li"):
            self.cell.append(" ")
        elif self.text is not None and tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()
        if tag == "nav":
            self.skip = False
        elif tag == "section":
            self.title_page = False
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(_norm("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.table is not None and self.row is not None:
            part = "header" if "thead" in self.stack else "body"
            self.table[part].append(tuple(self.row))
            self.row = None
        elif tag == "table" and self.table is not None:
            self.items.append(("table", tuple(self.table["header"]), tuple(self.table["body"])))
            self.table = None
        elif tag in self.BLOCKS and self.text is not None and self.cell is None:
            text = _norm("".join(self.text))
            self.text = None
            if self.skip or not text:
                return
            kind = {"figcaption": "caption", "h1": "title" if self.title_page else "h1"}
            self.items.append((kind.get(tag, tag), text))

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.text is not None:
            self.text.append(data)


def html_items(html: str) -> list[Item]:
    parser = _HtmlItems()
    parser.feed(html)
    return parser.items


def _docx_paragraph(paragraph: Any) -> Iterator[Item]:
    for picture in paragraph._p.iter(qn("wp:docPr")):
        yield ("image", _norm(picture.get("descr", "")))
    if any(code.text.strip().startswith("TOC") for code in paragraph._p.iter(qn("w:instrText"))):
        return  # the contents field
    style, text = paragraph.style.name, _norm(paragraph.text)
    if not text or style == "TOC Heading":
        return
    if style.startswith("Heading "):
        yield (f"h{style.split()[1]}", text)
    elif style == "Title":
        yield ("title", text)
    elif style == "Caption":
        yield ("caption", text)
    elif style.startswith("List "):
        yield ("li", text)
    else:
        yield ("p", text)


def _xml_text(paragraph: Any) -> str:
    """A paragraph's text, a line break read as a space."""
    return "".join(
        " " if node.tag == qn("w:br") else node.text or ""
        for node in paragraph.iter(qn("w:t"), qn("w:br"))
    )


def _docx_table(table: Any) -> Item:
    header: list[tuple[str, ...]] = []
    body: list[tuple[str, ...]] = []
    for tr in table._tbl.tr_lst:
        cells = tuple(_norm(" ".join(_xml_text(p) for p in tc.p_lst)) for tc in tr.tc_lst)
        repeated = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
        shaded = any(s.get(qn("w:fill")) == docx_renderer.TOTAL_FILL for s in tr.iter(qn("w:shd")))
        (header if repeated else body).append(("total" if shaded else "", *cells))
    return ("table", tuple(header), tuple(body))


def docx_items(content: bytes) -> list[Item]:
    document = docx.Document(io.BytesIO(content))
    items: list[Item] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            items.append(_docx_table(block))
        else:
            items.extend(_docx_paragraph(block))
    return items


def _differences(content: ReportContent) -> list[str]:
    """Where the two formats of ``content`` differ, item by item (empty: the same text)."""
    from_html = html_items(html_renderer.content_document(content).html())
    from_docx = docx_items(docx_renderer.render_content_docx(content))
    matcher = difflib.SequenceMatcher(a=from_html, b=from_docx, autojunk=False)
    return [
        f"{tag} at item {i1}: HTML {from_html[i1:i2]!r} → DOCX {from_docx[j1:j2]!r}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _assert_same(content: ReportContent) -> None:
    differences = _differences(content)
    assert not differences, "\n".join(line[:600] for line in differences[:5])


def _content(plan: Any, kind: str, year: int, quarter: int | None = None) -> ReportContent:
    report = report_get_or_create(plan=plan, kind=kind, year=year, quarter=quarter)
    return report_content(report_data(report=report))


@pytest.fixture
def annual(demo_plan: Any) -> ReportContent:
    town = SurveyedMunicipality.objects.get(plan=demo_plan, organisation__name="Město Cvikov")
    MunicipalProject.objects.create(plan=demo_plan, municipality=town, name="Chytré osvětlení")
    return _content(demo_plan, "annual", 2020)


def test_annual_report_reads_the_same_in_html_and_word(annual: ReportContent) -> None:
    _assert_same(annual)
    items = html_items(html_renderer.content_document(annual).html())
    kinds = {item[0] for item in items}
    assert kinds >= {"title", "h1", "h2", "h3", "p", "li", "caption", "image", "table"}
    cells = [cell for item in items if item[0] == "table" for row in item[2] for cell in row]
    # What once was only in the HTML: totals, the resources caption, the towns' projects.
    assert cells.count("Celkem za rok 2020") == 9
    assert ("caption", "Záznamy databáze zdrojů podle oblastí") in items
    assert ("li", "Město Cvikov; Chytré osvětlení") in items


def test_quarterly_report_reads_the_same_in_html_and_word(demo_plan: Any) -> None:
    content = _content(demo_plan, "quarterly", 2021, 1)
    _assert_same(content)
    items = html_items(html_renderer.content_document(content).html())
    assert ("h1", "4. Řídící skupina") in items
    assert any(item[0] == "table" for item in items)


def test_a_renderer_that_drops_or_changes_a_block_is_caught(
    annual: ReportContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_table = docx_renderer._Writer.table

    def table_without_totals(self: Any, block: Table) -> None:
        original_table(self, replace(block, rows=tuple(r for r in block.rows if r.kind != "total")))

    monkeypatch.setattr(docx_renderer._Writer, "table", table_without_totals)
    assert any("Celkem za rok 2020" in line for line in _differences(annual))
    monkeypatch.undo()

    def totals_as_body_rows(self: Any, block: Table) -> None:
        rows = tuple(replace(r, kind="body") if r.kind == "total" else r for r in block.rows)
        original_table(self, replace(block, rows=rows))

    monkeypatch.setattr(docx_renderer._Writer, "table", totals_as_body_rows)
    assert any("('total', 'Celkem za rok 2020'" in line for line in _differences(annual))
    monkeypatch.undo()

    monkeypatch.setattr(html_renderer, "_heading", lambda heading: f"<h2>{heading.text}</h2>\n")
    assert any("'h1', 'Úvodem'" in line for line in _differences(annual))
    monkeypatch.undo()

    monkeypatch.setattr(docx_renderer, "_runs", lambda target, paragraph: None)
    assert _differences(annual)  # every paragraph's text gone
