"""The seed's appendices as tables, the way an office keeps them, for the layout tests.

Each builder gives the rows of one table (lists of cell values) and where cells are
merged; the writers below turn them into XLSX (openpyxl, as Excel saves) and, once the
readers exist, ODS and DOCX. Values come from the demo fixture, which transcribes the
seed, so an import into the demo plan of an unchanged table changes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import yaml
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, TableCell, TableRow
from odf.table import Table as OdsTable
from odf.text import P

from smartplan.demo.services import DEMO_FIXTURE
from smartplan.exchange.fulfilment_layout import money

STACK_HEADER = [
    "P.č.:",
    "Oblast",
    "Projekt / opatření",
    "Popis",
    "Stav",
    "Finance (mil. Kč)",
    "Doba realizace (roky)",
    "Garant",
    "Fishe",
    "Poznámka",
]
# The Oblast column of items 45–53 as the seed prints it (topic labels, not areas).
SEED_LABELS = {
    45: "Energetický management",
    46: "Energetický management",
    47: "Chytrá řešení",
    48: "Hospodaření s vodou",
    49: "Životní prostředí",
    50: "Zdravotnictví",
    51: "Energetický management",
    52: "Hospodaření s vodou",
    53: "Hospodaření s vodou",
}


@dataclass
class Table:
    """One table: its rows and its merged ranges (row index, first column, last column,
    last row index; indexes from 0)."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where split() starts a new table

    def split(self) -> list[Table]:
        """One table per part (a Word report has a table per project)."""
        bounds = [*self.starts, len(self.rows)]
        parts: list[Table] = []
        for begin, end in itertools.pairwise(bounds):
            parts.append(
                Table(
                    f"{self.name} ({len(parts) + 1})",
                    self.rows[begin:end],
                    [
                        (r - begin, c1, c2, r2 - begin)
                        for r, c1, c2, r2 in self.merges
                        if begin <= r < end
                    ],
                )
            )
        return parts

    def add(self, *values: Any) -> int:
        self.rows.append(list(values))
        return len(self.rows) - 1

    def span(self, text: str, width: int) -> int:
        """A row whose one text spans the table, merged as offices do."""
        index = self.add(text, *([None] * (width - 1)))
        self.merges.append((index, 0, width - 1, index))
        return index


def _fixture(name: str) -> Any:
    return yaml.safe_load((DEMO_FIXTURE / name).read_text(encoding="utf-8"))


def _flagship_names() -> dict[int, str]:
    return {p["number"]: p["name"] for p in _fixture("projects.yaml")["projects"]}


def stack_table(*, heading: str | None = "Nové projekty 2020", merged: bool = True) -> Table:
    """Appendix 2, all 53 items: title rows, the header, items 1–44, the total, the section
    heading, items 45–53 with the seed's topic labels, the legend."""
    flagships = _flagship_names()
    table = Table("Příloha 2")
    width = len(STACK_HEADER)
    table.add("SMART - zásobník projektů do roku 2026")
    table.add()
    table.add(*STACK_HEADER)
    for item in _fixture("stack.yaml")["items"]:
        number = item["number"]
        if number == 45:
            table.add("CELKEM 916,8 mil. Kč do roku 2026")
            if heading is not None:
                if merged:
                    table.span(heading, width)
                else:
                    table.add(None, heading)  # typed in one cell, the rest left empty
        finance = item["finance_mil"]
        if finance is not None:
            finance = finance.replace(".", ",") if number % 2 else float(finance)
        duration = item["duration_text"] or (
            int(item["duration_years"]) if item["duration_years"] else None
        )
        area = SEED_LABELS.get(number, item["area"])
        if number % 3 == 0:
            area = f"  {area.upper()} "  # stray spaces and another case
        if number == 46:
            area = "energeticky management"  # missing accents
        table.add(
            number,
            area,
            item["name"],
            item["description"] or None,
            item["status"],
            finance,
            duration,
            item["guarantor"],
            flagships[item["flagship"]].upper() if item["flagship"] else None,
            item["note"] or None,
        )
    table.add()
    table.add("1 - Běžící, nepotřebují rozpracování")
    return table


def _money(value: str) -> str:
    """ "0.00" as the report prints it: "0,00 Kč"; whole amounts as "260 000 Kč"."""
    amount = Decimal(value)
    if amount == amount.to_integral_value() and amount:
        return f"{int(amount):,} Kč".replace(",", " ")
    return f"{amount:.2f} Kč".replace(".", ",")


def fulfilment_table(*, spent: dict[tuple[int, int, str], Any] | None = None) -> Table:
    """Appendix 3: per project a spanning name in capitals, the header with the year, the
    activities, a "Celkem" subtotal and the financing note."""
    spent = spent or {}
    table = Table("Příloha 3")
    table.span("FINANČNÍ PLNĚNÍ VLAJKOVÝCH PROJEKTŮ", 4)
    for project in _fixture("projects.yaml")["projects"]:
        name = project["name"].upper()
        if project["number"] == 3:
            name += " / NEREALIZOVÁNO"
        table.starts.append(table.span(name, 4))
        table.add("Aktivita", "Popis", "Výstupy", "Finanční plnění\nza rok 2020")
        total = Decimal(0)
        previous = None
        for activity in project["activities"]:
            record = next(f for f in activity["fulfilment"] if f["year"] == 2020)
            key = (project["number"], int(activity["number"]), activity["part"])
            amount = spent.get(key, _money(record["spent"]))
            total += Decimal(record["spent"]) if key not in spent else _amount(amount)
            description = activity["description"]  # project 7: "… viz projekt AD1/ …"
            label = f"Aktivita {activity['number']}"
            index = table.add(label, description, record["outputs"] or None, amount)
            if previous is not None and previous[1] == label:
                # The activity's two parts: its Aktivita cell merged down over both rows.
                table.merges.append((previous[0], 0, 0, index))
                table.rows[index][0] = None
            previous = (index, label)
        table.add("Celkem", None, None, _money(str(total)) if total else "0,00 Kč")
        table.add("Finanční zdroje", project.get("financing_note") or "")
    return table


def _amount(value: Any) -> Decimal:
    amount, _rest = money(value)
    return amount or Decimal(0)


def card_table(*, changes: dict[int, dict[str, str]] | None = None) -> Table:
    """Appendix 1: per indicator the project's block (Instituce, Garant…) and the card as
    "field | value" rows, the description with its proposed sub-indicators and the list of
    further indicators, the frequency as the methodology's last line."""
    changes = changes or {}
    flagships = _flagship_names()
    table = Table("Příloha 1")
    for card in _fixture("indicators.yaml")["indicators"]:
        card = {**card, **changes.get(card["number"], {})}
        table.add(flagships[card["project"]])
        table.add(None, "Instituce", "Osoba")
        table.add("Garant", "Odbor", "Liberecký kraj")
        table.add("Název indikátoru", f"{card['number']} {card['name']}")
        goals = {1: "Zrychlit", 2: "Ušetřit", 3: "Zlepšit"}
        specific = (
            f"{card['specific_goal']}. Specifický cíl"
            if card["specific_goal"]
            else card["specific_goal_note"]
        )
        table.add(
            "Strategický cíl /\nSpecifický cíl",
            " / ".join(goals[g] for g in card["strategic_goals"]) + "\n" + specific,
        )
        table.add("Vlajkový projekt", flagships[card["project"]])
        description = card["description"]
        if card["sub_indicators"]:
            description += "\n\nNavržené dílčí indikátory:\n"
            for sub in card["sub_indicators"]:
                description += f"\n• {sub['name']}\n{sub['description']}\n"
        if card["future_indicators"]:
            description += "\n" + card["future_indicators_intro"] + "\n"
            description += "\n".join(f"• {line}" for line in card["future_indicators"])
        table.add("Popis indikátoru", description)
        table.add("Cílový stav", card["target_state"])
        table.add("Zdroj dat", card["data_source"])
        methodology = card["methodology"]
        if card["frequency_text"]:
            methodology += f"\n\nFrekvence: {card['frequency_text']}."
        table.add("Metodika sběru dat a\nvyhodnocení", methodology)
        table.add("Aktualizace: 11/2020")
        table.add()
    return table


def xlsx_write(path: Path, *tables: Table) -> Path:
    """The tables as sheets of an XLSX workbook, merged ranges as Excel keeps them."""
    workbook = openpyxl.Workbook()
    first = True
    for table in tables:
        ws = workbook.active if first else workbook.create_sheet()
        assert ws is not None
        first = False
        ws.title = table.name
        for values in table.rows:
            ws.append(values)
        for row, first_col, last_col, last_row in table.merges:
            ws.merge_cells(
                start_row=row + 1,
                start_column=first_col + 1,
                end_row=last_row + 1,
                end_column=last_col + 1,
            )
    workbook.save(path)
    return path


def _merge_at(table: Table) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """The merged ranges as anchors (row, column) -> (rows, columns) and the covered cells."""
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for row, first_col, last_col, last_row in table.merges:
        anchors[(row, first_col)] = (last_row - row + 1, last_col - first_col + 1)
        for r in range(row, last_row + 1):
            for c in range(first_col, last_col + 1):
                if (r, c) != (row, first_col):
                    covered.add((r, c))
    return anchors, covered


def ods_write(path: Path, *tables: Table) -> Path:
    """The tables as sheets of an ODS file, as LibreOffice Calc saves them: numbers as float
    cells, text as paragraphs, a merged range as a spanning cell and covered cells."""
    document = OpenDocumentSpreadsheet()
    for table in tables:
        sheet = OdsTable(name=table.name)
        anchors, covered = _merge_at(table)
        width = max((len(row) for row in table.rows), default=1)
        for r, values in enumerate(table.rows):
            ods_row = TableRow()
            for c in range(max(width, len(values))):
                value = values[c] if c < len(values) else None
                if (r, c) in covered:
                    ods_row.addElement(CoveredTableCell())
                    continue
                attributes: dict[str, Any] = {}
                if (r, c) in anchors:
                    rows, columns = anchors[(r, c)]
                    attributes = {"numberrowsspanned": rows, "numbercolumnsspanned": columns}
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value, **attributes)
                    cell.addElement(P(text=str(value).replace(".", ",")))
                elif value is None or value == "":
                    cell = TableCell(**attributes)
                else:
                    cell = TableCell(valuetype="string", **attributes)
                    for line in str(value).split("\n"):
                        cell.addElement(P(text=line))
                ods_row.addElement(cell)
            sheet.addElement(ods_row)
        document.spreadsheet.addElement(sheet)
    document.save(str(path))
    return path


def docx_write(path: Path, *tables: Table) -> Path:
    """The tables in a Word document, as a hand-made report has them: a heading paragraph
    before each, cells with one paragraph per line, merged ranges merged."""
    document = docx.Document()
    document.add_paragraph("„Chytřejší kraj“ pro Liberecký kraj – výroční zpráva 2020")
    for table in tables:
        document.add_paragraph(table.name)
        width = max((len(row) for row in table.rows), default=1)
        word = document.add_table(rows=len(table.rows), cols=width)
        for r, values in enumerate(table.rows):
            for c in range(width):
                value = values[c] if c < len(values) else None
                if value is None or value == "":
                    continue
                cell = word.cell(r, c)
                lines = str(value).split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for row, first_col, last_col, last_row in table.merges:
            word.cell(row, first_col).merge(word.cell(last_row, last_col))
    document.save(str(path))
    return path


WRITERS: dict[str, Callable[..., Path]] = {"xlsx": xlsx_write, "ods": ods_write, "docx": docx_write}


def write(path: Path, fmt: str, *tables: Table) -> Path:
    """The tables in a file of format ``fmt`` (xlsx, ods, docx) named ``path`` + suffix."""
    return WRITERS[fmt](path.with_suffix("." + fmt), *tables)
