"""A long report is laid out in chunks; the joined PDF must read as one document."""

import io
from typing import Any

import pytest
from pypdf import PdfReader

from smartplan.reports.charts import BARS_PER_PANEL, _slices
from smartplan.reports.document import Block, ReportDocument, TableFrame
from smartplan.reports.html_renderer import report_document
from smartplan.reports.pdf_renderer import render_document_pdf
from smartplan.reports.report_data import report_data
from smartplan.reports.services import report_get_or_create

_RENDERED: dict[str, tuple[Any, ...]] = {}


@pytest.fixture
def chunked(demo_plan):
    """The demo's annual report cut into chunks of 20 000 characters (about ten).

    Rendered once for the module: the tests only read the result.
    """
    if "demo" not in _RENDERED:
        report = report_get_or_create(plan=demo_plan, kind="annual", year=2020)
        document = report_document(report_data(report=report))
        reader = PdfReader(io.BytesIO(render_document_pdf(document, chunk_chars=20_000)))
        _RENDERED["demo"] = (document, reader, [page.extract_text() for page in reader.pages])
    return _RENDERED["demo"]


def test_the_report_really_is_cut(chunked):
    document, _reader, _texts = chunked
    assert len(document.chunks(20_000)) >= 5


def test_page_numbers_run_on_across_chunks(chunked):
    _document, _reader, texts = chunked
    for number, text in enumerate(texts[1:], start=2):  # the title page has no number
        assert text.split()[-1] == str(number), (number, text[-80:])


def test_contents_give_the_pages_where_the_sections_are_and_link_to_them(chunked):
    _document, reader, texts = chunked
    contents = texts[1]
    links = [annotation.get_object() for annotation in reader.pages[1]["/Annots"]]
    page_of = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    targets = [page_of[link["/Dest"][0].idnum] for link in links]
    for heading in (
        "Úvodem",
        "3. Koordinace jednotlivých vlajkových projektů",
        "Příloha 2: Zásobník projektů",
        "Příloha 3: Finanční plnění vlajkových projektů",
    ):
        line = next(line for line in contents.splitlines() if line.startswith(heading))
        page = int(line.rstrip(". ").split()[-1])
        assert heading in texts[page - 1], heading
        assert page - 1 in targets, heading
    assert len(links) == 15  # one link per entry


def test_running_header_of_the_appendices_survives_the_cuts(chunked):
    _document, _reader, texts = chunked
    stack_pages = [t for t in texts if "P.č." in t and "Fishe" in t]
    assert len(stack_pages) >= 2  # the stack table runs over pages and chunks…
    for text in stack_pages:  # …with its header row and the appendix number on every page
        assert "PŘÍLOHA ČÍSLO: 02" in text
    assert "CELKEM 916,8\xa0mil.\xa0Kč do roku 2026" in "\n".join(texts)


def test_one_outline_for_the_whole_report(chunked):
    _document, reader, _texts = chunked
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[:3] == ["VÝROČNÍ ZPRÁVA ZA ROK 2020", "Obsah", "Úvodem"]
    assert "Příloha 3: Finanční plnění vlajkových projektů" in top
    outline = reader.outline
    section_3 = next(
        index
        for index, item in enumerate(outline)
        if not isinstance(item, list) and item.title.startswith("3. Koordinace")
    )
    cards = outline[section_3 + 1]
    assert [item.title for item in cards][:2] == [
        "1. Sběr dopravních dat",
        "2. Podpora chytrých podnikatelských řešení",
    ]


def _document(blocks, tables=None):
    return ReportDocument(
        title="t", running="r", css="", front=lambda pages: "", blocks=blocks, tables=tables or {}
    )


def test_rows_of_a_table_cut_between_chunks_get_the_table_and_its_header_again():
    frame = TableFrame("<table><thead>H</thead><tbody>", "</tbody></table>")
    rows = [Block(f"<tr>{n}</tr>" * 10, "02", table="stack") for n in range(4)]
    document = _document([Block("<h1>P2</h1>", "02", keep_with_next=True), *rows], {"stack": frame})
    chunks = document.chunks(limit=100)
    assert len(chunks) > 1
    assert chunks[0][0].html == "<h1>P2</h1>"
    assert chunks[0][1] is rows[0]  # the heading stays with what follows it
    for chunk in chunks:
        html = document.body(chunk)
        assert html.startswith('<section class="appendix" data-appendix="02">')
        assert html.count("<thead>H</thead>") == 1
        assert html.endswith("</tbody></table></section>\n")
    whole = document.body(document.blocks)
    assert whole.count("<table>") == 1  # the preview is one table


def test_charts_of_a_large_plan_are_drawn_in_panels_that_fit_a_page():
    parts = _slices(900)
    assert [n for part in parts for n in part] == list(range(900))
    assert max(len(part) for part in parts) <= BARS_PER_PANEL
    assert _slices(9) == [range(9)]
