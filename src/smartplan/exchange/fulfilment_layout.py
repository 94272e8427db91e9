"""The seed's Appendix 3 as a table: financial fulfilment per flagship project and activity.

The report prints, per project, a row with the project's name in capitals spanning the
table, a header "Aktivita | Popis | Výstupy | Finanční plnění za rok 2020" (the year is in
the header), one row per activity ("Aktivita 1 | … | outputs | 0,00 Kč") and sometimes a
"Celkem" row and a "Finanční zdroje" row. Each activity row becomes a row of the
"Finanční plnění" register; the project is named as the report names it and is found in
the plan when the rows are completed (see :mod:`exchange.layout_rows`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from smartplan.core.czech_values import parse_decimal
from smartplan.core.problems import Problem
from smartplan.exchange.columns import clean_text, fold
from smartplan.exchange.layout_rows import LayoutRows
from smartplan.exchange.registers import FULFILMENT
from smartplan.exchange.stack_sections import spanning_text

_ACTIVITY = re.compile(r"^aktivita\s*(\d+)\s*[/.:–-]?\s*(\S*)$")
_PART = re.compile(r"^[a-z]{0,3}\d{0,2}[a-z]?$")
# A part named inside the description, as the seed does: "Analýza procesů viz projekt AD1/".
_PART_IN_TEXT = re.compile(r"\b([A-Z]{1,3}\d{1,2})/")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONEY = re.compile(
    r"^\s*(-?\d[\d\s\u00a0.,]*)\s*(tis\.?|mil\.?)?\s*(k[čc]|czk)?(?=\s|$|[.,;])", re.IGNORECASE
)
_NOTHING = {"-", "–", "—", "0", "0 Kč"}  # a dash: nothing spent
_SCALE = {"tis": Decimal(1000), "mil": Decimal(1_000_000)}


def _key(value: Any) -> str:
    return fold(clean_text(value)).rstrip(":").strip()


def _header(values: tuple[Any, ...]) -> dict[str, int] | None:
    """Column positions of a header row "Aktivita | Popis | Výstupy | Finanční plnění…"."""
    positions: dict[str, int] = {}
    for index, value in enumerate(values):
        key = _key(value)
        if key in {"projekt", "rok"}:
            return None  # the register's own sheet (Projekt | Aktivita | Rok …), not the report's
        if key == "aktivita":
            positions.setdefault("activity", index)
        elif key.startswith("popis"):
            positions.setdefault("description", index)
        elif key.startswith("vystup"):
            positions.setdefault("outputs", index)
        elif key.startswith("financni plneni") or key.startswith("vynalozeno"):
            positions.setdefault("spent", index)
    return positions if {"activity", "spent"} <= positions.keys() else None


def money(raw: Any) -> tuple[Decimal | None, str]:
    """An amount as the report writes it ("0,00 Kč", "260 000 Kč", "1,5 mil. Kč", a number),
    and any text after it; (None, text) when the cell does not start with an amount."""
    if isinstance(raw, bool):
        return None, str(raw)
    if isinstance(raw, int | float | Decimal):
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), ""
    text = clean_text(raw)
    if text in _NOTHING:
        return Decimal(0), ""
    match = _MONEY.match(text)
    if match is None:
        return None, text
    number = parse_decimal(match.group(1).rstrip(".,"))
    if number is None:
        return None, text
    scale = (match.group(2) or "").rstrip(".").casefold()
    rest = text[match.end() :].lstrip(" .,;")
    return number * _SCALE.get(scale, Decimal(1)), rest


def _cell(values: tuple[Any, ...], index: int | None) -> Any:
    return values[index] if index is not None and index < len(values) else None


def fulfilment_rows(sheet: str, rows: list[tuple[int, tuple[Any, ...]]]) -> LayoutRows | None:
    """The activity rows of a sheet laid out like Appendix 3; None when it is not."""
    if not any(_header(values) for _number, values in rows):
        return None
    result = LayoutRows(FULFILMENT.name, sheet)
    project: str | None = None
    positions: dict[str, int] | None = None
    year: int | None = None
    header_row = 0
    missing_year: set[int] = set()
    block: list[tuple[int, dict[str, Any]]] = []  # the current project's activity rows

    def close_block() -> None:
        _parts_from_descriptions(block)
        result.rows.extend((number, cells) for number, cells in block)
        block.clear()

    for number, values in rows:
        if not any(clean_text(v) for v in values if v is not None):
            continue
        header = _header(values)
        if header is not None:
            positions = header
            found = _YEAR.findall(clean_text(values[header["spent"]]))
            year = int(found[-1]) if found else None
            header_row = number
            continue
        if year is None and positions is not None:
            # The year on a line of its own under the header ("za rok 2020").
            found = _YEAR.findall(clean_text(_cell(values, positions["spent"])))
            if found and fold(clean_text(_cell(values, positions["spent"]))).startswith("za rok"):
                year = int(found[-1])
                continue
        first = next((clean_text(v) for v in values if v is not None and clean_text(v)), "")
        if fold(first).startswith(("celkem", "soucet")):
            if positions is not None:
                _check_total(result, sheet, number, values, positions, block)
            continue
        if fold(first).startswith("financni zdroje"):
            continue  # the project's financing note, not a fulfilment
        activity_cell = _cell(values, positions["activity"]) if positions else None
        activity = _ACTIVITY.match(_key(activity_cell))
        if (
            activity is None
            and positions is not None
            and block
            and not clean_text(_cell(values, positions["activity"]))
            and clean_text(_cell(values, positions["spent"]))
        ):
            # The second part of the activity above (its Aktivita cell left empty).
            activity = _ACTIVITY.match(f"aktivita {block[-1][1]['activity_number']}")
        if activity is None:
            text = spanning_text(values)
            if text is not None:
                close_block()
                project = text
                continue
            result.warnings.append(
                Problem(number, None, first, _("skipped: not an activity row"), sheet)
            )
            continue
        if positions is None or project is None:
            result.problems.append(
                Problem(
                    number,
                    "Aktivita",
                    first,
                    _("no project named above this activity (a row with the project's name)"),
                    sheet,
                )
            )
            continue
        if year is None:
            if header_row not in missing_year:
                missing_year.add(header_row)
                result.problems.append(
                    Problem(
                        header_row,
                        "Finanční plnění",
                        None,
                        _("the header does not name the year of the fulfilment (e.g. za rok 2020)"),
                        sheet,
                    )
                )
            continue
        spent_raw = _cell(values, positions["spent"])
        spent, rest = money(spent_raw)
        if spent is None and clean_text(spent_raw):
            result.problems.append(
                Problem(
                    number,
                    "Finanční plnění",
                    clean_text(spent_raw),
                    _("expected an amount such as 260 000 Kč"),
                    sheet,
                )
            )
            continue
        if rest:
            result.warnings.append(
                Problem(
                    number,
                    "Finanční plnění",
                    rest,
                    _("text after the amount was not imported"),
                    sheet,
                )
            )
        part = activity.group(2) if _PART.match(activity.group(2) or "") else ""
        block.append(
            (
                number,
                {
                    "activity_project": project,
                    "activity_number": int(activity.group(1)),
                    "activity_part": part.upper() or None,
                    "year": year,
                    "outputs": clean_text(_cell(values, positions.get("outputs"))) or None,
                    "spent": spent,
                    "_description": clean_text(_cell(values, positions.get("description"))),
                },
            )
        )
    close_block()
    for _number, cells in result.rows:
        cells.pop("_description", None)
    return result


def _parts_from_descriptions(block: list[tuple[int, dict[str, Any]]]) -> None:
    """An activity given in several rows without parts takes them from its descriptions
    ("viz projekt AD1/"), as the seed's project 7 does."""
    counts: dict[int, int] = {}
    for _number, cells in block:
        counts[cells["activity_number"]] = counts.get(cells["activity_number"], 0) + 1
    for _number, cells in block:
        if counts[cells["activity_number"]] > 1 and not cells["activity_part"]:
            found = _PART_IN_TEXT.search(cells["_description"])
            if found:
                cells["activity_part"] = found.group(1)


def _check_total(
    result: LayoutRows,
    sheet: str,
    number: int,
    values: tuple[Any, ...],
    positions: dict[str, int],
    block: list[tuple[int, dict[str, Any]]],
) -> None:
    """A subtotal is not imported; when it disagrees with its rows, the user hears of it."""
    total, _rest = money(_cell(values, positions["spent"]))
    if total is None:
        return
    summed = sum((cells["spent"] or Decimal(0) for _n, cells in block), Decimal(0))
    if summed != total:
        result.warnings.append(
            Problem(
                number,
                "Finanční plnění",
                clean_text(_cell(values, positions["spent"])),
                _("the total differs from the sum of the activities above (%(sum)s)")
                % {"sum": f"{summed:f}".replace(".", ",")},
                sheet,
            )
        )
