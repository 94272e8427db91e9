"""A report as a Word document with real styles (Heading 1–3, List Bullet, Caption), a
contents field Word and LibreOffice fill in, page numbers, a running header ("PŘÍLOHA
ČÍSLO: 01" in the appendices) and table header rows that repeat on every page."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from smartplan.core.czech_format import (
    format_date,
    format_date_with_precision,
    format_millions,
    format_money,
    format_number,
    plural,
)
from smartplan.monitoring.models import Status
from smartplan.monitoring.templatetags.monitoring import percent
from smartplan.projects.models import split_points
from smartplan.reports.charts import Chart, report_charts
from smartplan.reports.report_data import ReportData

RECORDS = ("záznam", "záznamy", "záznamů")
FONT = "Arial"  # Word and LibreOffice (as Liberation Sans) both have it, with Czech letters


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


def _header_footer(section: Any, header_text: str) -> None:
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.text = header_text
    header.style.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(footer, "PAGE", "1")


class _Writer:
    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.doc = Document()
        styles = self.doc.styles
        styles["Normal"].font.name = FONT
        styles["Normal"].font.size = Pt(10)
        for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
            styles[name].font.name = FONT
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(2)
        self.running = f"{data.title} – {data.plan.concept_name or data.plan.name}"

    def para(self, text: str, style: str | None = None, bold: bool = False) -> Any:
        paragraph = self.doc.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold
        return paragraph

    def points(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.para(text, "List Bullet")

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float] = ()
    ) -> Any:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.bold = True
        row_properties = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        row_properties.append(repeat)  # repeat the header row on every page
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = "" if value is None else str(value)
        for index, width in enumerate(widths):
            for row in table.rows:
                row.cells[index].width = Cm(width)
        return table

    def chart(self, chart: Chart, number: int) -> None:
        for image in chart.images("png"):
            self.doc.add_picture(io.BytesIO(image), width=Cm(16))
        self.para(f"Graf {number}: {chart.caption}", "Caption")
        self.table(chart.headers, chart.rows)

    def quarterly(self) -> None:
        data = self.data
        self.doc.add_heading("1. Vlajkové projekty v čtvrtletí", 1)
        for card in data.projects:
            self.doc.add_heading(f"{card.project.number}. {card.project.name}", 2)
            if card.status:
                self.points(split_points(card.status.preparation_status))
                self.points(split_points(card.status.planned_activities))
            else:
                self.para("Za čtvrtletí nebyl zadán stav přípravy.")
        self.doc.add_heading("Finanční plnění změněné v čtvrtletí", 2)
        self.table(
            ("Projekt", "Aktivita", "Rok", "Vynaloženo v roce"),
            [
                (str(f.activity.project), f.activity.label, f.year, format_money(f.spent))
                for f in data.fulfilment_changed
            ],
        )
        self.doc.add_heading("2. Indikátory", 1)
        self.doc.add_heading("Hodnoty zadané v čtvrtletí", 2)
        self.table(
            ("Dílčí indikátor", "Datum", "Hodnota", "Poznámka"),
            [
                (str(m.sub_indicator), format_date(m.date), format_number(m.value), m.note)
                for m in data.measurements
            ],
        )
        self.doc.add_heading("Indikátory, které se pohnuly", 2)
        self.table(
            ("Indikátor", "Pokrok na začátku", "Pokrok na konci", "Stav"),
            [
                (
                    str(c.indicator),
                    percent(before),
                    percent(c.summary.progress),
                    str(Status(c.summary.status).label),
                )
                for c, before in data.moved
            ],
        )
        self.doc.add_heading("Po termínu a ohrožené", 2)
        rows = [
            (str(sub), f"hodnota po termínu od {format_date(due)}") for sub, due in data.overdue
        ]
        rows += [
            (str(r.sub), f"{Status(r.assessment.status).label} ({percent(r.assessment.progress)})")
            for card in data.indicators
            for r in card.subs
            if r.assessment.status in ("at_risk", "off_track")
        ]
        self.table(("Dílčí indikátor", "Stav nebo termín"), rows)
        self.doc.add_heading("3. Zásobník projektů", 1)
        self.doc.add_heading("Nové položky", 2)
        self.points(f"{i.number}. {i.name} ({i.get_status_display()})" for i in data.stack_created)
        self.doc.add_heading("Změněné položky", 2)
        self.points(f"{i.number}. {i.name} – stav {i.status}" for i in data.stack_changed)
        self.doc.add_heading("4. Řídící skupina", 1)
        for meeting in data.meetings:
            self.para(f"{meeting.title} ({format_date(meeting.date)})")
        self.table(
            ("Číslo", "Rozhodnutí", "Odpovídá", "Termín", "Stav"),
            [
                (
                    d.number,
                    d.text,
                    str(d.responsible or d.responsible_organisation or "–"),
                    format_date(d.deadline) or "–",
                    d.get_state_display(),
                )
                for d in data.decisions
            ],
        )
        for paragraph in split_points(data.report.evaluation):
            self.para(paragraph)

    # -- the document -----------------------------------------------------------------
    def build(self, charts: list[Chart]) -> bytes:
        data = self.data
        doc = self.doc
        _header_footer(doc.sections[0], self.running)
        title = self.para(data.title, "Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in (
            "NAPLŇOVÁNÍ AKČNÍHO PLÁNU",
            (data.plan.concept_name or data.plan.name).upper(),
            data.plan.territory_name.upper(),
        ):
            self.para(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        if data.report.frozen and data.report.approved_on:
            self.para(
                f"Schváleno: {data.report.approved_by}, {format_date(data.report.approved_on)}"
            )
        doc.add_page_break()  # type: ignore[no-untyped-call]
        self.para(
            "Obsah", "TOC Heading" if "TOC Heading" in [s.name for s in doc.styles] else "Heading 1"
        )
        _field(
            doc.add_paragraph(),
            'TOC \\o "1-3" \\h \\z \\u',
            "Obsah vytvoří Word nebo LibreOffice (aktualizace polí, F9).",
        )
        doc.add_page_break()  # type: ignore[no-untyped-call]
        if data.report.kind == "quarterly":
            self.quarterly()
        else:
            self.introduction()
            self.sections_1_2()
            self.section_3(charts[1])
            self.section_4(charts[0])
            self.section_5()
            self.appendices(charts[2])
        settings = doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")  # Word fills in the contents and page fields on opening
        settings.append(update)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def introduction(self) -> None:
        data = self.data
        self.doc.add_heading("Úvodem", 1)
        if data.report.introduction:
            for paragraph in split_points(data.report.introduction):
                self.para(paragraph)
            return
        if data.plan.vision:
            self.para(f"Vize zní: „{data.plan.vision}“")
        for approval in data.approvals:
            number = (
                f" (usnesení č. {approval.resolution_number})" if approval.resolution_number else ""
            )
            self.para(
                f"{approval.body} schválil akční plán dne {format_date(approval.date)}{number}."
            )
        if data.plan.coordinator:
            self.para(f"Koordinační rolí byla pověřena organizace {data.plan.coordinator.name}.")

    def sections_1_2(self) -> None:
        data = self.data
        self.doc.add_heading("1. Sledování trendů a zkušeností", 1)
        self.para(
            f"Databáze zdrojů SMART obsahuje k {format_date(data.period_end)} "
            f"celkem {plural(data.resources_total, *RECORDS)}."
        )
        self.table(
            ("Oblast", "Záznamů"), [*data.resources_by_area, ("Celkem", data.resources_total)]
        )
        self.doc.add_heading("2. Komunikace a budování partnerství", 1)
        self.doc.add_heading("2.1. Komunikace tématu", 2)
        if data.communication:
            self.table(
                ("Datum", "Kanál", "Název", "Odkaz"),
                [
                    (
                        format_date_with_precision(c.date, c.date_precision),
                        c.get_channel_display(),
                        c.title,
                        c.url,
                    )
                    for c in data.communication
                ],
            )
        for award in data.awards:
            place = f", {award.place}. místo" if award.place else ""
            self.para(f"Ocenění: {award.competition}, kategorie „{award.category}“{place}.")
        self.doc.add_heading("2.2. Projekty SMART v regionu", 2)
        self.para(f"Celkem bylo osloveno {len(data.municipalities)} měst a obcí:")
        self.points(m.organisation.name for m in data.municipalities)
        self.doc.add_heading("2.3. Náměty na nové SMART projekty", 2)
        for idea in data.ideas:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(idea.title).bold = True
            paragraph.add_run(f" – {idea.description} {idea.next_step}")

    def section_3(self, chart: Chart) -> None:
        data = self.data
        self.doc.add_heading("3. Koordinace jednotlivých vlajkových projektů", 1)
        self.para(f"Celkem je v akčním plánu vymezeno {len(data.projects)} vlajkových projektů.")
        self.table(
            ("Oblast", "Projekt", "Cíl"),
            [
                (
                    c.project.area.name.upper(),
                    c.project.name.upper(),
                    " / ".join(g.name.upper() for g in c.project.strategic_goals.all()),
                )
                for c in data.projects
            ],
        )
        for card in data.projects:
            project = card.project
            self.doc.add_heading(f"{project.number}. {project.name}", 2)
            implementer = (
                project.implementer_department.name
                if project.implementer_department
                else (project.implementer.name if project.implementer else "–")
            )
            self.para(
                f"GARANT PROJEKTU: {(project.guarantor.name if project.guarantor else '–').upper()}"
            )
            self.para(f"NOSITEL PROJEKTU: {implementer.upper()}")
            if not project.coordinated:
                self.para(
                    "Projekt není koordinován v rámci akčního plánu. "
                    f"{project.not_coordinated_reason}",
                    bold=False,
                )
            self.doc.add_heading("Popis projektu", 3)
            self.points(project.description_points)
            if card.status:
                self.doc.add_heading("Stav přípravy", 3)
                self.points(split_points(card.status.preparation_status))
                self.doc.add_heading(f"Plánované činnosti pro rok {data.report.year + 1}", 3)
                self.points(split_points(card.status.planned_activities))
        self.chart(chart, 2)

    def section_4(self, chart: Chart) -> None:
        data = self.data
        self.doc.add_heading("4. Monitoring a vyhodnocení akčního plánu", 1)
        self.doc.add_heading("4.1. Indikátory jednotlivých projektů", 2)
        self.para(f"Hodnoty a stav k {format_date(data.period_end)} podle pravidel monitoringu.")
        rows = []
        for card in data.indicators:
            for index, result in enumerate(card.subs):
                sub, assessment = result.sub, result.assessment
                target = (
                    f"{format_number(sub.target_value)} {sub.unit}".strip()
                    if sub.target_value is not None
                    else "–"
                )
                rows.append(
                    (
                        f"{card.indicator.number}. {card.indicator.name}" if index == 0 else "",
                        f"{sub.code} {sub.name}",
                        format_number(assessment.value) or "–",
                        target,
                        percent(assessment.progress),
                        str(Status(assessment.status).label),
                    )
                )
        self.table(("Indikátor", "Dílčí indikátor", "Hodnota", "Cíl", "Pokrok", "Stav"), rows)
        self.chart(chart, 1)
        self.doc.add_heading("4.2. Vyhodnocení dosavadních kroků", 2)
        self.para("Řídící skupina pracuje ve složení:")
        self.points(f"{m.role}{f' ({m.person.name})' if m.person else ''}" for m in data.members)
        for meeting in data.meetings:
            when = meeting.date_text or format_date(meeting.date)
            self.para(f"{meeting.title} ({when}). {meeting.minutes}")
        for paragraph in split_points(data.report.evaluation):
            self.para(paragraph)

    def section_5(self) -> None:
        data = self.data
        self.doc.add_heading("5. Aktualizace zásobníku projektů", 1)
        if data.stack_new:
            self.table(
                ("P.č.", "Projekt / opatření", "Vlajkový projekt", "Stav", "Vývoj"),
                [
                    (
                        i.number,
                        i.name,
                        i.flagship.name if i.flagship else "nový námět",
                        i.status,
                        i.progress_note,
                    )
                    for i in data.stack_new
                ],
            )
        self.para(
            f"Zásobník projektů nyní čítá {plural(data.stack_count, *RECORDS)} "
            "a je uveden v příloze 2."
        )
        self.doc.add_heading("6. Přílohy", 1)
        self.points(
            [
                "Systém sledování a vyhodnocování / indikátory",
                "Zásobník projektů",
                "Finanční plnění vlajkových projektů",
            ]
        )

    def _appendix(self, number: str, title: str, landscape: bool = False) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Cm(21), Cm(29.7)
        _header_footer(section, f"{self.running} – PŘÍLOHA ČÍSLO: {number}")
        self.doc.add_heading(title, 1)

    def appendices(self, chart: Chart) -> None:
        data = self.data
        self._appendix("01", "Příloha 1: Systém sledování a vyhodnocování – indikátory")
        for card in data.indicators:
            indicator, project = card.indicator, card.project
            self.doc.add_heading(f"{indicator.number}. {indicator.name}", 2)
            rows: list[tuple[str, str]] = []
            if project is not None:
                council = project.council_member
                rows.append(("Vlajkový projekt", project.name))
                rows.append(
                    (
                        "Odpovědný člen rady kraje",
                        project.council_portfolio
                        + (f" – {council.name}, {council.function}" if council else ""),
                    )
                )
                contact = project.guarantor_contact
                rows.append(
                    (
                        "Garant",
                        _person_line(project.guarantor.name if project.guarantor else "–", contact),
                    )
                )
                implementer = (
                    project.implementer_department.name
                    if project.implementer_department
                    else (project.implementer.name if project.implementer else "–")
                )
                person = project.implementer_contact
                rows.append(
                    (
                        "Nositel projektu – realizátor",
                        f"{implementer}{f' – {person.name}, {person.function}' if person else ''}",
                    )
                )
            goals = " / ".join(str(g) for g in indicator.strategic_goals.all())
            specific = (
                str(indicator.specific_goal)
                if indicator.specific_goal
                else indicator.specific_goal_note
            )
            subs = "; ".join(r.sub.name for r in card.subs)
            future = "; ".join(indicator.future_indicator_list)
            rows += [
                ("Strategický cíl / Specifický cíl", f"{goals} – {specific}"),
                (
                    "Popis indikátoru",
                    f"{indicator.description}\nNavržené dílčí indikátory: {subs}"
                    + (f"\n{indicator.future_indicators_intro} {future}" if future else ""),
                ),
                ("Cílový stav", indicator.target_state),
                ("Zdroj dat", indicator.data_source),
                (
                    "Metodika sběru dat a vyhodnocení",
                    indicator.methodology
                    + (
                        f"\nFrekvence: {indicator.frequency_text}."
                        if indicator.frequency_text
                        else ""
                    ),
                ),
                (
                    "Aktualizace",
                    f"{indicator.last_update.month}/{indicator.last_update.year}"
                    if indicator.last_update
                    else "–",
                ),
            ]
            self.table(("Údaj", "Hodnota"), rows, widths=(5, 12))
        self._appendix("02", "Příloha 2: Zásobník projektů", landscape=True)
        headers = (
            "P.č.",
            "Oblast",
            "Projekt / opatření",
            "Popis",
            "Stav",
            "Finance (mil. Kč)",
            "Doba realizace (roky)",
            "Garant",
            "Fishe",
            "Poznámka",
        )

        def stack_row(item: Any) -> tuple[Any, ...]:
            finance = (
                format_number(item.finance_mil)
                if item.finance_mil is not None
                else item.finance_text
            )
            duration = (
                item.duration_years if item.duration_years is not None else item.duration_text
            )
            return (
                item.number,
                item.area_label or item.area.name,
                item.name,
                item.description,
                item.status,
                finance,
                duration,
                item.guarantor.name if item.guarantor else "",
                item.flagship.name.upper() if item.flagship else "",
                item.note,
            )

        rows2 = [stack_row(i) for i in data.stack_original]
        rows2.append(
            (
                f"CELKEM {format_millions(data.stack_total)} do roku {data.plan.period_to + 4}",
                *[""] * 9,
            )
        )
        if data.stack_new:
            rows2.append(("Nové projekty", *[""] * 9))
            rows2 += [stack_row(i) for i in data.stack_new]
        self.table(headers, rows2)
        self.para("; ".join(f"{number} – {label}" for number, label in data.status_legend))
        self.chart(chart, 3)
        self._appendix("03", "Příloha 3: Finanční plnění vlajkových projektů")
        for project_card in data.projects:
            suffix = " / NEREALIZOVÁNO" if not project_card.project.coordinated else ""
            self.doc.add_heading(f"{project_card.project.name.upper()}{suffix}", 2)
            rows3: list[tuple[str, ...]] = [
                (
                    f"Aktivita {activity.label}",
                    f"{activity.description}\nČasová náročnost: {activity.timing_text}",
                    fulfilment.outputs if fulfilment else "",
                    format_money(fulfilment.spent) if fulfilment else "–",
                )
                for activity, fulfilment in project_card.rows
            ]
            rows3.append(("Celkem", "", "", format_money(project_card.spent_in_year)))
            self.table(
                ("Aktivita", "Popis", "Výstupy", f"Finanční plnění za rok {data.report.year}"),
                rows3,
            )
            self.para(f"Finanční zdroje: {project_card.project.financing_note}")


def _person_line(unit: str, contact: Any) -> str:
    """'Odbor dopravy – Jan Čáp, vedoucí odboru, tel. …, e-mail' (contacts only if public)."""
    if contact is None:
        return unit
    line = f"{unit} – {contact.name}, {contact.function}"
    if contact.publish_contact:
        line += "".join(
            f", {part}"
            for part in (contact.phone and f"tel. {contact.phone}", contact.email)
            if part
        )
    return line


def render_docx(data: ReportData, charts: list[Chart] | None = None) -> bytes:
    return _Writer(data).build(charts if charts is not None else report_charts(data))
