"""The quarterly report ("Dílčí monitorovací zpráva") as blocks: what changed in the
quarter. Every text and figure is decided here for the HTML/PDF and Word alike."""

from __future__ import annotations

from decimal import Decimal

from smartplan.projects.models import split_points
from smartplan.reports import figure_format as fmt
from smartplan.reports.blocks import (
    Block,
    Group,
    Heading,
    ReportContent,
    Table,
    TitlePage,
    bold,
    bullets,
    columns,
    row,
    text,
)
from smartplan.reports.report_data import ProjectCard, ReportData

NONE = "Žádné."


def quarterly_content(data: ReportData) -> ReportContent:
    plan, report = data.plan, data.report
    name = plan.concept_name or plan.name
    approval = (
        f"Schváleno: {report.approved_by}, {fmt.date(report.approved_on)}" if report.frozen else ""
    )
    blocks: list[Block] = [
        Heading(1, "1. Vlajkové projekty v čtvrtletí"),
        *(_project_card(card) for card in data.projects),
        *_fulfilment(data),
        *_indicators(data),
        *_stack(data),
        *_steering_group(data),
    ]
    return ReportContent(
        title=f"{data.title} – {plan.name}",
        running=f"{data.title} – {name}",
        title_page=TitlePage(
            data.title,
            (name.upper(), f"Období {fmt.date(data.period_start)} – {fmt.date(data.period_end)}"),
            approval,
        ),
        blocks=blocks,
    )


def _project_card(card: ProjectCard) -> Group:
    blocks: list[Block] = [Heading(2, f"{card.project.number}. {card.project.name}")]
    if card.status:
        blocks += [
            text(bold("Stav přípravy")),
            bullets(split_points(card.status.preparation_status)),
        ]
        if card.status.planned_activities:
            blocks += [
                text(bold("Další kroky")),
                bullets(split_points(card.status.planned_activities)),
            ]
    else:
        blocks.append(text("Za čtvrtletí nebyl zadán stav přípravy."))
    return Group(tuple(blocks))


def _fulfilment(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Finanční prostředky vynaložené v čtvrtletí")]
    if not data.money_in_quarter:
        return [*blocks, text("V čtvrtletí se finanční plnění nezměnilo.")]
    total = sum((m.spent for m in data.money_in_quarter), Decimal(0))
    return [
        *blocks,
        Table(
            columns("l", "l", "l", "r", "r", "r"),
            (
                (
                    "Projekt",
                    "Aktivita",
                    "Rok",
                    "Na začátku čtvrtletí",
                    "Na konci čtvrtletí",
                    "Vynaloženo v čtvrtletí",
                ),
            ),
            (
                *(
                    row(
                        str(m.activity.project),
                        m.activity.label,
                        fmt.year(m.year),
                        fmt.spent_money(m.before),
                        fmt.spent_money(m.after),
                        fmt.spent_money(m.spent),
                    )
                    for m in data.money_in_quarter
                ),
                row("Celkem", "", "", "", "", fmt.spent_money(total), kind="total"),
            ),
        ),
        text(
            "Finanční plnění se eviduje za kalendářní rok; vynaloženo v čtvrtletí je změna "
            "ročního plnění mezi prvním a posledním dnem čtvrtletí podle historie změn.",
            style="meta",
        ),
    ]


def _indicators(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading(1, "2. Indikátory"), Heading(2, "Hodnoty zadané v čtvrtletí")]
    if data.measurements:
        blocks.append(
            Table(
                columns("l", "l", "r", "l"),
                (("Dílčí indikátor", "Datum", "Hodnota", "Poznámka"),),
                tuple(
                    row(str(m.sub_indicator), fmt.date(m.date), fmt.measured(m.value), m.note)
                    for m in data.measurements
                ),
            )
        )
    else:
        blocks.append(text("V čtvrtletí nebyly zadány žádné hodnoty."))
    blocks.append(Heading(2, "Indikátory, které se pohnuly"))
    if data.moved:
        blocks.append(
            Table(
                columns("l", "r", "r", "l"),
                (("Indikátor", "Pokrok na začátku", "Pokrok na konci", "Stav"),),
                tuple(
                    row(
                        str(card.indicator),
                        fmt.progress(before),
                        fmt.progress(card.summary.progress),
                        fmt.status(card.summary.status),
                    )
                    for card, before in data.moved
                ),
            )
        )
    else:
        blocks.append(text("Žádný indikátor se v čtvrtletí nepohnul."))
    late = [row(str(sub), f"hodnota po termínu od {fmt.date(due)}") for sub, due in data.overdue]
    late += [
        row(
            str(r.sub),
            f"{fmt.status(r.assessment.status)} ({fmt.progress(r.assessment.progress)})",
        )
        for card in data.indicators
        for r in card.subs
        if r.assessment.status in ("at_risk", "off_track")
    ]
    blocks.append(Heading(2, "Po termínu a ohrožené"))
    if late:
        blocks.append(
            Table(columns("l", "l"), (("Dílčí indikátor", "Stav nebo termín"),), tuple(late))
        )
    else:
        blocks.append(text("Žádný dílčí indikátor není po termínu ani ohrožen."))
    return blocks


def _stack(data: ReportData) -> list[Block]:
    created = [f"{i.number}. {i.name} ({i.get_status_display()})" for i in data.stack_created]
    changed = [
        f"{c.item.number}. {c.item.name} – stav {c.before} ({c.before_label}) → "
        f"{c.after} ({c.after_label})"
        for c in data.stack_status_changes
    ]
    return [
        Heading(1, "3. Zásobník projektů"),
        Heading(2, "Nové položky"),
        bullets(created) if created else text(NONE),
        Heading(2, "Změny stavu v čtvrtletí"),
        bullets(changed) if changed else text(NONE),
    ]


def _steering_group(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading(1, "4. Řídící skupina")]
    blocks += [text(bold(m.title), f" ({fmt.date(m.date)})") for m in data.meetings]
    if not data.meetings:
        blocks.append(text("V čtvrtletí se řídící skupina nesešla."))
    if data.decisions:
        blocks.append(
            Table(
                columns("l", "l", "l", "l", "l"),
                (("Číslo", "Rozhodnutí", "Odpovídá", "Termín", "Stav"),),
                tuple(
                    row(
                        d.number,
                        d.text,
                        str(d.responsible or d.responsible_organisation or fmt.DASH),
                        fmt.date(d.deadline) or fmt.DASH,
                        d.get_state_display(),
                    )
                    for d in data.decisions
                ),
            )
        )
    else:
        blocks.append(text("Řídící skupina zatím nepřijala žádná rozhodnutí."))
    return blocks + [text(p) for p in split_points(data.report.evaluation)]
