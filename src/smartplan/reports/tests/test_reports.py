"""The annual and quarterly reports of the demo plan, opened as their readers open them."""

import datetime as dt
import hashlib
import io
import shutil
import subprocess
from decimal import Decimal

import docx
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.reports.models import ReportFile
from smartplan.reports.services import (
    ReportError,
    report_approve,
    report_get_or_create,
    report_render,
)
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


@pytest.fixture
def annual(demo_plan):
    return report_get_or_create(plan=demo_plan, kind="annual", year=2020)


@pytest.fixture
def pdf_text(annual):
    reader = PdfReader(io.BytesIO(report_render(report=annual, fmt="pdf")))
    return [page.extract_text() for page in reader.pages]


def _docx(report):
    return docx.Document(io.BytesIO(report_render(report=report, fmt="docx")))


def _docx_text(document):
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return paragraphs, cells


def test_docx_has_the_seeds_structure_with_word_styles(annual):
    document = _docx(annual)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    level_1 = [text for style, text in headings if style == "Heading 1"]
    for section in (
        "Úvodem",
        "1. Sledování trendů a zkušeností",
        "2. Komunikace a budování partnerství",
        "3. Koordinace jednotlivých vlajkových projektů",
        "4. Monitoring a vyhodnocení akčního plánu",
        "5. Aktualizace zásobníku projektů",
        "6. Přílohy",
        "Příloha 1: Systém sledování a vyhodnocování – indikátory",
        "Příloha 2: Zásobník projektů",
        "Příloha 3: Finanční plnění vlajkových projektů",
    ):
        assert section in level_1, section
    cards = [
        text
        for style, text in headings
        if style == "Heading 2" and text[:2] in {f"{n}." for n in range(1, 10)}
    ]
    assert len([c for c in cards if c.startswith(tuple(f"{n}. " for n in range(1, 10)))]) >= 9
    # Header rows repeat on every page.
    first_table = document.tables[0]
    assert first_table.rows[0]._tr.xml.count("tblHeader") == 1
    # Appendices have their own running header.
    headers = [section.header.paragraphs[0].text for section in document.sections]
    assert any(h.endswith("PŘÍLOHA ČÍSLO: 02") for h in headers)
    text = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert f"CELKEM 916,8{NBSP}mil.{NBSP}Kč do roku 2026" in text
    assert f"0{NBSP}Kč" in text  # the 2020 amounts
    # Each sub-indicator's row holds its target as the seed's Appendix 1 states it.
    rows = {
        cells[1].split(" ", 1)[0]: cells
        for table in document.tables
        for row in table.rows
        if len(cells := [cell.text for cell in row.cells]) > 3 and cells[1][:4].count(".") == 1
    }
    targets = {
        "1.1": f"10{NBSP}000 stažení",
        "1.2": "10 partnerů",
        "1.3": "6 aplikací",
        "3.1": "1 %",
        "4.1": "2 akcí",
        "5.1": "2 akcí",
        "7.1": "1 %",
        "8.1": "5 datových sad",
    }
    for code, target in targets.items():
        assert target in rows[code], (code, rows[code])


def test_pdf_has_every_indicator_target_and_czech_text(pdf_text):
    text = "\n".join(pdf_text)
    assert "VÝROČNÍ ZPRÁVA ZA ROK 2020" in pdf_text[0]
    assert "Koordinace jednotlivých vlajkových projektů" in text
    assert "Sběr dopravních dat" in text
    assert "ICT infrastruktura" in text
    assert "916,8" in text
    assert "10 000" in text.replace(NBSP, " ")
    assert "Příloha 3: Finanční plnění vlajkových projektů" in text
    assert "Žitavská" in text  # diacritics survive extraction
    # Running header with the appendix number; page numbers.
    appendix_pages = [page for page in pdf_text if "PŘÍLOHA ČÍSLO: 01" in page]
    assert appendix_pages
    assert len(pdf_text) > 20


def test_same_data_same_content(annual):
    first = report_render(report=annual, fmt="html")
    assert report_render(report=annual, fmt="html") == first
    document = _docx(annual)
    assert _docx_text(_docx(annual)) == _docx_text(document)  # renders again, the same
    assert document.paragraphs[0].text == "VÝROČNÍ ZPRÁVA ZA ROK 2020"


def test_approved_report_is_frozen(annual, demo_plan):
    files = report_approve(
        report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15)
    )
    assert {f.format for f in files} == {"pdf", "docx", "html"}
    stored = {f.format: f.sha256 for f in ReportFile.objects.filter(report=annual)}
    before = report_render(report=annual, fmt="html")
    StackItem.objects.filter(plan=demo_plan, number=1).update(finance_mil=Decimal("99"))
    after = report_render(report=annual, fmt="html")
    assert after == before
    frozen_pdf = report_render(report=annual, fmt="pdf")
    assert hashlib.sha256(frozen_pdf).hexdigest() == stored["pdf"]
    # The frozen PDF still gives the approved total (item 1 had 8 mil. Kč, now 99: 1 007,8).
    frozen_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(frozen_pdf)).pages)
    assert "916,8" in frozen_text
    assert "1 007,8" not in frozen_text.replace(NBSP, " ")
    original = StackItem.objects.filter(plan=demo_plan, year_added__isnull=True)
    assert sum(item.finance_mil or 0 for item in original) == Decimal("1007.8")  # the live data
    assert "Schváleno: Řídící skupina, 15. 3. 2021" in after.decode()
    with pytest.raises(ReportError):
        report_approve(report=annual, approved_by="x", approved_on=dt.date(2021, 3, 16))


def test_quarterly_report_lists_the_quarters_changes(demo_plan):
    sub = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    Measurement.objects.create(
        plan=demo_plan, sub_indicator=sub, date=dt.date(2021, 2, 15), value=2, note="Portál spuštěn"
    )
    report = report_get_or_create(plan=demo_plan, kind="quarterly", year=2021, quarter=1)
    html = report_render(report=report, fmt="html").decode()
    assert "DÍLČÍ MONITOROVACÍ ZPRÁVA – 1. čtvrtletí 2021" in html
    assert "Portál spuštěn" in html
    assert "Indikátory, které se pohnuly" in html
    assert "8. Počet otevřených datových sad" in html
    assert "2020/1" in html  # steering group decisions and their state
    document = _docx(report)
    assert any(
        "Portál spuštěn" in cell.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    )


def test_command_writes_every_format(demo_plan, tmp_path):
    for fmt in ("docx", "pdf", "html"):
        target = tmp_path / f"zprava.{fmt}"
        call_command(
            "report",
            "annual",
            "--plan",
            demo_plan.slug,
            "--year",
            "2020",
            "--format",
            fmt,
            "-o",
            str(target),
        )
    document = docx.Document(tmp_path / "zprava.docx")
    assert document.paragraphs[0].text == "VÝROČNÍ ZPRÁVA ZA ROK 2020"
    first_page = PdfReader(tmp_path / "zprava.pdf").pages[0].extract_text()
    assert "VÝROČNÍ ZPRÁVA ZA ROK 2020" in first_page
    html = (tmp_path / "zprava.html").read_text(encoding="utf-8")
    assert f"CELKEM 916,8{NBSP}mil.{NBSP}Kč do roku 2026" in html


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_docx_opens_in_libreoffice(annual, tmp_path):
    source = tmp_path / "zprava.docx"
    source.write_bytes(report_render(report=annual, fmt="docx"))
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = tmp_path / "zprava.pdf"
    assert converted.exists(), result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(converted).pages)
    assert "Koordinace jednotlivých vlajkových projektů" in text


def test_reports_of_a_generated_plan_render(db):
    from smartplan.demo.synthetic import synthetic_plans_generate

    plan = synthetic_plans_generate(plans=1, scale=2, seed=61, measurements_per_sub=3)[0].plan
    for kind, quarter in (("annual", None), ("quarterly", 2)):
        report = report_get_or_create(plan=plan, kind=kind, year=plan.period_from, quarter=quarter)
        html = report_render(report=report, fmt="html").decode()
        assert plan.name.upper() in html.upper()
        assert _docx(report).paragraphs[0].text.startswith(("VÝROČNÍ", "DÍLČÍ"))


def test_every_chart_has_its_data_as_a_table_in_czech(annual):
    html = report_render(report=annual, fmt="html").decode()
    for number in (1, 2, 3):
        assert f"Data grafu {number}" in html
    assert html.count("<figure>") == 3  # the demo's charts each fit one picture
    assert "no_data" not in html.replace("status-no_data", "")  # a CSS class, not text
    cells = [
        cell.text for table in _docx(annual).tables for row in table.rows for cell in row.cells
    ]
    assert "bez dat" in cells
    assert "no_data" not in cells


def test_the_stack_is_counted_with_the_right_czech_plural(annual):
    html = report_render(report=annual, fmt="html").decode()
    assert "Zásobník projektů nyní čítá 53 záznamů" in html
    paragraphs = [p.text for p in _docx(annual).paragraphs]
    assert any("nyní čítá 53 záznamů" in text for text in paragraphs)
