"""The seed's Appendix 1 as a table: indicator cards, two-column "field | value" blocks.

A card starts at "Název indikátoru | 1 Počet zapojených subjektů…" and goes on with
"Strategický cíl / Specifický cíl", "Vlajkový projekt", "Popis indikátoru", "Cílový stav",
"Zdroj dat", "Metodika sběru dat a vyhodnocení" (which may end with "Frekvence: …") and
"Frekvence". Each card becomes a row of the "Indikátory" register that updates the
indicator with its number; what a card does not say keeps what the plan stores. The
block above a card (Instituce, Garant, Nositel projektu…) belongs to the project card
and is passed over.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from smartplan.core.problems import Problem
from smartplan.exchange.columns import clean_text, fold
from smartplan.exchange.layout_rows import LayoutRows
from smartplan.exchange.registers import INDICATORS

_NAME = re.compile(r"^(\d+)\s*[.:)]?\s+(.+)$", re.DOTALL)
_SPECIFIC = re.compile(r"^(\d+\.\d+)\.?\s*(.*)$", re.DOTALL)
_BULLET = re.compile(r"^[•◦▪·*–-]\s*")
_FREQUENCY_LINE = re.compile(r"^frekvence\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)

# Card labels (folded, without a colon) and the field each feeds.
_LABELS = {
    "nazev indikatoru": "name",
    "strategicky cil / specificky cil": "goals",
    "strategicky cil/specificky cil": "goals",
    "strategicky cil": "goals",
    "specificky cil": "specific",
    "vlajkovy projekt": "project",
    "popis indikatoru": "description",
    "cilovy stav": "target_state",
    "zdroj dat": "data_source",
    "metodika sberu dat a vyhodnoceni": "methodology",
    "metodika": "methodology",
    "frekvence": "frequency_text",
    "frekvence sberu dat": "frequency_text",
}
# Labels of the project block printed above each card: not the indicator's.
_PROJECT_BLOCK = ("instituce", "odpovedny clen", "garant", "nositel projektu")


def _label(value: Any) -> str:
    return " ".join(fold(clean_text(value)).rstrip(":").split())


def _pair(values: tuple[Any, ...]) -> tuple[str, str] | None:
    """The label and the value of a "field | value" row (merged cells repeat a text)."""
    texts: list[str] = []
    for value in values:
        text = clean_text(value)
        if text and (not texts or texts[-1] != text):
            texts.append(text)
    if not texts:
        return None
    return texts[0], "\n".join(texts[1:])


def is_card_sheet(rows: list[tuple[int, tuple[Any, ...]]]) -> bool:
    """A sheet with at least one "Název indikátoru" row whose value starts with a number."""
    for _number, values in rows:
        pair = _pair(values)
        if pair and _label(pair[0]) == "nazev indikatoru" and _NAME.match(pair[1]):
            return True
    return False


def card_rows(sheet: str, rows: list[tuple[int, tuple[Any, ...]]]) -> LayoutRows | None:
    """The cards of a sheet laid out like Appendix 1 as "Indikátory" rows; None if none."""
    if not is_card_sheet(rows):
        return None
    result = LayoutRows(
        INDICATORS.name, sheet, keep=tuple(c.field for c in INDICATORS.columns if c.field)
    )
    cells: dict[str, Any] | None = None
    for number, values in rows:
        pair = _pair(values)
        if pair is None:
            continue
        label, value = _label(pair[0]), pair[1]
        field = _LABELS.get(label)
        if field == "name":
            match = _NAME.match(value)
            if match is None:
                result.problems.append(
                    Problem(
                        number,
                        pair[0],
                        value,
                        _("expected the indicator's number and name (e.g. 1 Počet …)"),
                        sheet,
                    )
                )
                cells = None
                continue
            cells = {"number": int(match.group(1)), "name": " ".join(match.group(2).split())}
            result.rows.append((number, cells))
            continue
        if cells is None or field is None:
            if cells is not None and not label.startswith(_PROJECT_BLOCK) and value:
                result.warnings.append(
                    Problem(number, None, pair[0], _("not a field of an indicator card"), sheet)
                )
            continue
        if field == "goals":
            cells.update(_goals(value))
        elif field == "specific":
            # The specific goal on a row of its own (the label split over two rows).
            cells.update({k: v for k, v in _goals("\n" + value).items() if k != "strategic_goals"})
        elif field == "project":
            cells["project"] = value or None
        elif field == "description":
            cells.update(_description(value))
        elif field == "methodology":
            cells.update(_methodology(value))
        elif field == "frequency_text":
            cells["frequency_text"] = _frequency(value)
        else:
            cells[field] = value
    return result


def _goals(value: str) -> dict[str, Any]:
    """The goals a card names ("Ušetřit" over "2.2. Snížení emisí…"): the strategic goals by
    name (found in the plan when the rows are completed) and the specific goal by its code,
    or its text as a note; a part the card leaves out keeps what the plan stores."""
    lines = value.split("\n")
    if not any(line.strip() for line in lines):
        return {}
    result: dict[str, Any] = {}
    if lines[0].strip():
        result["strategic_goals"] = [part.strip() for part in lines[0].split("/") if part.strip()]
    rest = " ".join(line.strip() for line in lines[1:] if line.strip())
    if rest:
        specific = _SPECIFIC.match(rest)
        result["specific_goal"] = specific.group(1) if specific else None
        result["specific_goal_note"] = None if specific else rest
    return result


def _paragraphs(value: str) -> list[str]:
    """Lines as paragraphs; an empty line is kept as a paragraph break ("")."""
    return [line.strip() for line in value.split("\n")]


def _description(value: str) -> dict[str, Any]:
    """The card's description, without the proposed sub-indicators (a register of their
    own) and with the closing "further indicators" list split off, as the plan keeps it."""
    lines = _paragraphs(value)
    intro_at = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.endswith(":") and not fold(line).startswith("navrzene dilci indikatory"):
            after = [x for x in lines[index + 1 :] if x]
            if after and all(_BULLET.match(x) for x in after):
                intro_at = index
            break
        if line and not _BULLET.match(line):
            break
    result: dict[str, Any] = {}
    body = lines
    if intro_at is not None:
        start = intro_at
        while start > 0 and lines[start - 1] and not _BULLET.match(lines[start - 1]):
            start -= 1
        result["future_indicators_intro"] = " ".join(lines[start : intro_at + 1])
        result["future_indicators"] = "\n".join(
            _BULLET.sub("", x) for x in lines[intro_at + 1 :] if x
        )
        body = lines[:start]
    proposed = next(
        (i for i, line in enumerate(body) if fold(line).startswith("navrzene dilci indikatory")),
        None,
    )
    if proposed is not None:
        body = body[:proposed]
    text = "\n".join(body)
    result["description"] = re.sub(r"\n{3,}", "\n\n", text).strip() or None
    return result


def _frequency(value: str) -> str:
    return value.strip().rstrip(".").strip()


def _methodology(value: str) -> dict[str, Any]:
    """The methodology; a closing "Frekvence: …" line is the card's frequency."""
    lines = _paragraphs(value)
    result: dict[str, Any] = {}
    kept = []
    for line in lines:
        found = _FREQUENCY_LINE.match(line)
        if found:
            result["frequency_text"] = _frequency(found.group(1))
        elif not fold(line).startswith("aktualizace:"):
            kept.append(line)
    result["methodology"] = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() or None
    return result
