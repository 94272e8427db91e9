"""The annual report ("Výroční zpráva") as blocks: every text, figure and empty-section
sentence of it is decided here, once, for the HTML/PDF and the Word document alike."""

from __future__ import annotations

from typing import Any

from smartplan.projects.models import FlagshipProject, split_points
from smartplan.reports import figure_format as fmt
from smartplan.reports.blocks import (
    Appendix,
    Block,
    BulletList,
    Cell,
    Group,
    Heading,
    Paragraph,
    ReportContent,
    Row,
    Table,
    TitlePage,
    bold,
    bullets,
    columns,
    italic,
    row,
    text,
)
from smartplan.reports.chart_blocks import chart_figure
from smartplan.reports.charts import Chart
from smartplan.reports.report_data import IndicatorCard, ProjectCard, ReportData

APPENDIX_TITLES = {
    "01": "Příloha 1: Systém sledování a vyhodnocování – indikátory",
    "02": "Příloha 2: Zásobník projektů",
    "03": "Příloha 3: Finanční plnění vlajkových projektů",
}
STACK_HEADER = (
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
STACK_COLUMNS = columns("r:4", "l:9", "l:13", "l:21", "l:5", "r:7", "l:6", "l:12", "l:11", "l:12")


def _section(level: int, anchor: str, label: str) -> Heading:
    return Heading(level, label, anchor, contents=True)


def _goal_names(project: FlagshipProject) -> str:
    return " / ".join(goal.name.upper() for goal in project.strategic_goals.all())


def _implementer(project: FlagshipProject) -> str:
    if project.implementer_department:
        return project.implementer_department.name
    return project.implementer.name if project.implementer else fmt.DASH


def _paragraphs(value: str) -> list[Paragraph]:
    return [text(point) for point in split_points(value)]


def annual_content(data: ReportData, charts: list[Chart]) -> ReportContent:
    """The annual report of ``data``; ``charts`` as made by ``charts.report_charts``."""
    plan = data.plan
    name = plan.concept_name or plan.name
    title_page = TitlePage(
        data.title,
        ("NAPLŇOVÁNÍ AKČNÍHO PLÁNU", name.upper(), plan.territory_name.upper()),
        _approval(data),
    )
    blocks: list[Block] = [
        *_introduction(data),
        *_trends(data),
        *_communication(data),
        *_projects(data),
        chart_figure(charts[1], 2),
        *_monitoring(data),
        chart_figure(charts[0], 1),
        *_evaluation(data),
        *_stack_update(data),
        Appendix("01", (_section(1, "p1", APPENDIX_TITLES["01"]), *_indicator_cards(data))),
        Appendix(
            "02",
            (
                _section(1, "p2", APPENDIX_TITLES["02"]),
                _stack_table(data),
                text("; ".join(f"{number} – {label}" for number, label in data.status_legend)),
                chart_figure(charts[2], 3),
            ),
            landscape=True,
        ),
        Appendix("03", (_section(1, "p3", APPENDIX_TITLES["03"]), *_fulfilment(data))),
    ]
    return ReportContent(
        title=f"{data.title} – {plan.name}",
        running=f"{data.title} – {name}",
        title_page=title_page,
        blocks=blocks,
        contents=True,
    )


def _approval(data: ReportData) -> str:
    report = data.report
    if not report.frozen:
        return ""
    return f"Schváleno: {report.approved_by}, {fmt.date(report.approved_on)}"


def _introduction(data: ReportData) -> list[Block]:
    blocks: list[Block] = [_section(1, "uvodem", "Úvodem")]
    if data.report.introduction:
        return blocks + _paragraphs(data.report.introduction)
    if data.plan.vision:
        blocks.append(text(f"Vize zní: „{data.plan.vision}“"))
    for approval in data.approvals:
        number = (
            f" (usnesení č. {approval.resolution_number})" if approval.resolution_number else ""
        )
        blocks.append(
            text(f"{approval.body} schválil akční plán dne {fmt.date(approval.date)}{number}.")
        )
    if data.plan.coordinator:
        blocks.append(
            text(f"Koordinační rolí byla pověřena organizace {data.plan.coordinator.name}.")
        )
    return blocks


def _trends(data: ReportData) -> list[Block]:
    return [
        _section(1, "s1", "1. Sledování trendů a zkušeností"),
        text(
            f"Databáze zdrojů SMART obsahuje k {fmt.date(data.period_end)} "
            f"celkem {fmt.records(data.resources_total)}."
        ),
        Table(
            columns("l", "r"),
            (("Oblast", "Záznamů"),),
            (
                *(row(area, fmt.count(n)) for area, n in data.resources_by_area),
                row("Celkem", fmt.count(data.resources_total), kind="total"),
            ),
            caption="Záznamy databáze zdrojů podle oblastí",
        ),
    ]


def _communication(data: ReportData) -> list[Block]:
    blocks: list[Block] = [
        _section(1, "s2", "2. Komunikace a budování partnerství"),
        _section(2, "s2-1", "2.1. Komunikace tématu"),
    ]
    if data.communication:
        rows = []
        for item in data.communication:
            title: tuple[Paragraph | BulletList, ...] = (text(item.title),)
            if item.description:
                title += (text(item.description, style="meta"),)
            rows.append(
                row(
                    fmt.date_as_written(item.date, item.date_precision),
                    item.get_channel_display(),
                    Cell(title),
                    item.url,
                )
            )
        blocks.append(
            Table(columns("l", "l", "l", "l"), (("Datum", "Kanál", "Název", "Odkaz"),), tuple(rows))
        )
    else:
        blocks.append(text("V období nebyla evidována žádná komunikační aktivita."))
    for award in data.awards:
        place = f", {award.place}. místo" if award.place else ""
        blocks.append(
            text(bold("Ocenění:"), f" {award.competition}, kategorie „{award.category}“{place}.")
        )
    blocks += [
        _section(2, "s2-2", "2.2. Projekty SMART v regionu"),
        text(f"Celkem bylo osloveno {fmt.count(len(data.municipalities))} měst a obcí:"),
        bullets(
            [
                "; ".join([m.organisation.name, *(p.name for p in m.projects.all())])
                for m in data.municipalities
            ]
        ),
        _section(2, "s2-3", "2.3. Náměty na nové SMART projekty"),
    ]
    for idea in data.ideas:
        blocks.append(text(bold(idea.title), f" – {idea.description} {idea.next_step}"))
    if not data.ideas:
        blocks.append(text("V roce nebyly evidovány nové náměty."))
    return blocks


def _projects(data: ReportData) -> list[Block]:
    projects = fmt.count(len(data.projects))
    blocks: list[Block] = [
        _section(1, "s3", "3. Koordinace jednotlivých vlajkových projektů"),
        text(f"Celkem je v akčním plánu vymezeno {projects} vlajkových projektů."),
        Table(
            columns("l", "l", "l"),
            (("Oblast", "Projekt", "Cíl"),),
            tuple(
                row(c.project.area.name.upper(), c.project.name.upper(), _goal_names(c.project))
                for c in data.projects
            ),
        ),
    ]
    blocks += [_project_card(data, card) for card in data.projects]
    return blocks


def _project_card(data: ReportData, card: ProjectCard) -> Group:
    project = card.project
    subtitle = f" – {project.subtitle}" if project.subtitle else ""
    guarantor = project.guarantor.name if project.guarantor else fmt.DASH
    blocks: list[Block] = [
        Heading(2, f"{project.number}. {project.name}{subtitle}"),
        text(
            f"{_goal_names(project)} · {project.area.name.upper()}\n"
            f"GARANT PROJEKTU: {guarantor.upper()}\n"
            f"NOSITEL PROJEKTU: {_implementer(project).upper()}",
            style="meta",
        ),
    ]
    if not project.coordinated:
        blocks.append(
            text(
                bold("Projekt není koordinován v rámci akčního plánu."),
                f" {project.not_coordinated_reason}",
            )
        )
    blocks += [
        Heading(3, "Popis projektu", bookmark=False),
        bullets(project.description_points),
    ]
    if card.status:
        next_year = fmt.year(data.report.year + 1)
        blocks += [
            Heading(3, "Stav přípravy", bookmark=False),
            bullets(split_points(card.status.preparation_status)),
            Heading(3, f"Plánované činnosti pro rok {next_year}", bookmark=False),
            bullets(split_points(card.status.planned_activities)),
        ]
    elif project.coordinated:
        blocks.append(text("Stav přípravy za období nebyl zadán."))
    return Group(tuple(blocks))


def _monitoring(data: ReportData) -> list[Block]:
    rows = []
    for card in data.indicators:
        for index, result in enumerate(card.subs):
            sub, assessment = result.sub, result.assessment
            rows.append(
                row(
                    f"{card.indicator.number}. {card.indicator.name}" if index == 0 else "",
                    f"{sub.code} {sub.name}",
                    fmt.measured(assessment.value),
                    fmt.target(sub.target_value, sub.unit),
                    fmt.progress(assessment.progress),
                    fmt.status(assessment.status),
                )
            )
    return [
        _section(1, "s4", "4. Monitoring a vyhodnocení akčního plánu"),
        _section(2, "s4-1", "4.1. Indikátory jednotlivých projektů"),
        text(
            f"Hodnoty a stav k {fmt.date(data.period_end)} podle pravidel monitoringu "
            "(pokrok = podíl cesty od výchozí k cílové hodnotě)."
        ),
        Table(
            columns("l", "l", "r", "r", "r", "l"),
            (("Indikátor", "Dílčí indikátor", "Hodnota", "Cíl", "Pokrok", "Stav"),),
            tuple(rows),
        ),
    ]


def _evaluation(data: ReportData) -> list[Block]:
    blocks: list[Block] = [
        _section(2, "s4-2", "4.2. Vyhodnocení dosavadních kroků"),
        text("Řídící skupina pracuje ve složení:"),
        bullets([f"{m.role} ({m.person.name})" if m.person else m.role for m in data.members]),
    ]
    for meeting in data.meetings:
        when = meeting.date_text or fmt.date(meeting.date)
        blocks.append(text(bold(meeting.title), f" ({when}). {meeting.minutes}"))
    return blocks + _paragraphs(data.report.evaluation)


def _stack_update(data: ReportData) -> list[Block]:
    blocks: list[Block] = [_section(1, "s5", "5. Aktualizace zásobníku projektů")]
    if data.stack_new:
        year = fmt.year(data.report.year)
        blocks += [
            text(
                f"Během roku {year} byly doplněny tyto náměty ({fmt.count(len(data.stack_new))}):"
            ),
            Table(
                columns("r", "l", "l", "l", "l"),
                (("P.č.", "Projekt / opatření", "Vlajkový projekt", "Stav", "Vývoj"),),
                tuple(
                    row(
                        str(item.number),
                        item.name,
                        item.flagship.name if item.flagship else "nový námět",
                        str(item.status),
                        item.progress_note,
                    )
                    for item in data.stack_new
                ),
            ),
        ]
    else:
        blocks.append(text("V roce nebyly do zásobníku doplněny nové položky."))
    blocks += [
        text(
            f"Zásobník projektů nyní čítá {fmt.records(data.stack_count)} a je uveden v příloze 2."
        ),
        _section(1, "s6", "6. Přílohy"),
        bullets([title.split(": ", 1)[1] for title in APPENDIX_TITLES.values()], numbered=True),
    ]
    return blocks


def _indicator_cards(data: ReportData) -> list[Block]:
    return [
        Group((Heading(2, f"{c.indicator.number}. {c.indicator.name}"), _indicator_table(c)))
        for c in data.indicators
    ]


def _contact(line: str, contact: Any, *, phone: bool) -> str:
    """'Odbor dopravy – Jan Čáp, vedoucí odboru, tel. …, e-mail' (contacts only if public)."""
    if contact is None:
        return line
    line += f" – {contact.name}, {contact.function}"
    if contact.publish_contact:
        parts = (contact.phone and phone and f"tel. {contact.phone}", contact.email)
        line += "".join(f", {part}" for part in parts if part)
    return line


def _indicator_table(card: IndicatorCard) -> Table:
    indicator, project = card.indicator, card.project
    rows: list[tuple[str, str | tuple[Paragraph | BulletList, ...]]] = []
    if project is not None:
        council = project.council_member
        rows += [
            ("Vlajkový projekt", project.name),
            (
                "Odpovědný člen rady kraje",
                project.council_portfolio
                + (f" – {council.name}, {council.function}" if council else ""),
            ),
            (
                "Garant",
                _contact(
                    project.guarantor.name if project.guarantor else fmt.DASH,
                    project.guarantor_contact,
                    phone=True,
                ),
            ),
            (
                "Nositel projektu – realizátor",
                _contact(_implementer(project), project.implementer_contact, phone=False),
            ),
        ]
    goals = " / ".join(str(goal) for goal in indicator.strategic_goals.all())
    specific = (
        str(indicator.specific_goal) if indicator.specific_goal else indicator.specific_goal_note
    )
    description: list[Paragraph | BulletList] = [*_paragraphs(indicator.description)]
    description += [
        text("Navržené dílčí indikátory:"),
        bullets(
            [
                f"{r.sub.name} – {r.sub.description}" if r.sub.description else r.sub.name
                for r in card.subs
            ]
        ),
    ]
    if indicator.future_indicators:
        description += [
            text(indicator.future_indicators_intro),
            bullets(indicator.future_indicator_list),
        ]
    methodology: list[Paragraph | BulletList] = [text(indicator.methodology)]
    if indicator.frequency_text:
        methodology.append(text(f"Frekvence: {indicator.frequency_text}."))
    if indicator.responsible_department:
        responsible = indicator.responsible_department.name
    elif indicator.responsible_organisation:
        responsible = indicator.responsible_organisation.name
    else:
        responsible = fmt.DASH
    if indicator.responsible_person:
        responsible += f" – {indicator.responsible_person.name}"
    rows += [
        ("Strategický cíl / Specifický cíl", f"{goals} – {specific}"),
        ("Popis indikátoru", tuple(description)),
        ("Cílový stav", indicator.target_state),
        ("Zdroj dat", indicator.data_source),
        ("Metodika sběru dat a vyhodnocení", tuple(methodology)),
        ("Odpovědnost za sběr dat", responsible),
        ("Aktualizace", fmt.month(indicator.last_update)),
    ]
    return Table(
        columns("l:30", "l:70"),
        (),
        tuple(Row((Cell(label, header=True), Cell(value))) for label, value in rows),
    )


def _stack_row(item: Any) -> Row:
    finance = (
        fmt.stack_money(item.finance_mil) if item.finance_mil is not None else item.finance_text
    )
    return row(
        str(item.number),
        item.area_label or item.area.name,
        item.name,
        item.description,
        str(item.status),
        finance,
        fmt.duration(item.duration_years, item.duration_text),
        item.guarantor.name if item.guarantor else "",
        item.flagship.name.upper() if item.flagship else "",
        item.note,
    )


def _stack_table(data: ReportData) -> Table:
    until = fmt.year(data.plan.period_to + 4)
    rows = [_stack_row(item) for item in data.stack_original]
    total = f"CELKEM {fmt.stack_total(data.stack_total)} do roku {until}"
    rows.append(Row((Cell(total, span=len(STACK_HEADER)),), "total"))
    if data.stack_new:
        rows.append(Row((Cell((text(bold("Nové projekty")),), span=len(STACK_HEADER)),), "group"))
        rows += [_stack_row(item) for item in data.stack_new]
    return Table(STACK_COLUMNS, (STACK_HEADER,), tuple(rows), fixed=True)


def _fulfilment(data: ReportData) -> list[Block]:
    year = fmt.year(data.report.year)
    blocks: list[Block] = []
    for card in data.projects:
        project = card.project
        suffix = "" if project.coordinated else " / NEREALIZOVÁNO"
        rows = []
        for activity, fulfilment in card.rows:
            description: tuple[Paragraph | BulletList, ...] = (text(activity.description),)
            if activity.timing_text:
                description += (text(italic(f"Časová náročnost: {activity.timing_text}")),)
            rows.append(
                row(
                    f"Aktivita {activity.label}",
                    Cell(description),
                    fulfilment.outputs if fulfilment else "",
                    fmt.spent_money(fulfilment.spent) if fulfilment else fmt.DASH,
                )
            )
        rows.append(
            row(
                Cell(f"Celkem za rok {year}", span=3),
                fmt.spent_money(card.spent_in_year),
                kind="total",
            )
        )
        blocks += [
            Heading(2, f"{project.name.upper()}{suffix}"),
            Table(
                columns("l:12", "l:38", "l:36", "r:14"),
                (("Aktivita", "Popis", "Výstupy", f"Finanční plnění za rok {year}"),),
                tuple(rows),
            ),
            text(bold("Finanční zdroje:"), f" {project.financing_note}"),
        ]
    return blocks
