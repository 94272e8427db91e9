"""The plan's workbook and single registers as LibreOffice Calc (.ods) spreadsheets.

Czech offices often keep their tables in LibreOffice, so the export that can be edited and
imported back exists in ODS too, with the same sheets, headers and values as the XLSX of
:mod:`~smartplan.exchange.workbook_writer` (the rows come from the same functions, read
from the database cursor as values): dates are date cells, numbers number cells, booleans
boolean cells, and every text a string cell, never a formula. Header rows are bold on the
XLSX's header colour and frozen, columns as wide as the XLSX's, coded columns offer the
XLSX's drop-down lists (content validations reading the hidden lists sheet).

The file is written a row at a time by :class:`~smartplan.exchange.ods_package.OdsPackage`,
so memory stays flat whatever the row count (odfpy, used before, held the whole document:
about 13 kB a row, so plans past 50 000 rows were refused). On a plan 100 times the demo
(benchmarks/ods_export.py, one run on the shared 2-core machine, load average 6 to 12): the
measurements register (982 452 rows) 141 s and 89 MB at peak, its write-only XLSX 160 s and
89 MB; the whole workbook 132 s and 116 MB, its XLSX 153 s and 116 MB.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl.utils import get_column_letter

from smartplan.exchange.columns import Sheet
from smartplan.exchange.ods_package import HEADER, TITLE, OdsPackage, Validation
from smartplan.exchange.registers import SHEETS
from smartplan.exchange.workbook_writer import (
    EXPLANATION,
    EXPLANATION_WIDTHS,
    LISTS,
    PLAN_SHEET,
    dropdown_lists,
    explanation_rows,
    plan_facts,
    register_rows,
    sized_rows,
)
from smartplan.plans.models import Plan

EMPTY_LIST_ROWS = 500  # rows below the data offering the drop-down lists, as in the XLSX


def _register_sheet(
    package: OdsPackage,
    sheet: Sheet,
    rows: Any,
    validations: dict[int, str] | None = None,
) -> None:
    """The register's sheet: its headers, then one row per object as the XLSX has them
    (``rows`` a queryset, read from the cursor as values, or model instances); columns
    named in ``validations`` (0-based) offer their drop-down list. Only the first
    rows are held, to size the columns before they are written (:func:`sized_rows`)."""
    widths, values = sized_rows(sheet, rows)
    with package.sheet(sheet.name, widths, frozen=1):
        package.row(sheet.headers, cell_style=HEADER)
        for row in values:
            package.row(row, validations=validations)
        package.empty_rows(EMPTY_LIST_ROWS, len(sheet.columns), validations or {})


def register_ods_save(sheet: Sheet, rows: Iterable[Any], target: Path | IO[bytes]) -> None:
    """One register alone as an ODS spreadsheet, written to a path or a binary file."""
    with _Writing(target) as out, OdsPackage(out) as package:
        _register_sheet(package, sheet, rows)


def plan_ods_save(*, plan: Plan | None, target: Path | IO[bytes]) -> None:
    """The plan's workbook (the empty template with ``plan=None``) as an ODS spreadsheet,
    written to a path (removed again if the export fails) or a binary file."""
    lists, per_sheet, validations = _lists(plan)
    with _Writing(target) as out, OdsPackage(out, validations) as package:
        with package.sheet(EXPLANATION, EXPLANATION_WIDTHS, frozen=4):
            for number, values in enumerate(explanation_rows(plan), start=1):
                header = TITLE if number == 1 else HEADER if number == 4 else None
                package.row(values, cell_style=header)
        with package.sheet(PLAN_SHEET, (34, 90), frozen=1):
            package.row(["Údaj", "Hodnota"], cell_style=HEADER)
            for label, value in plan_facts(plan):
                package.row([label, value])
        for sheet, columns in zip(SHEETS, per_sheet, strict=True):
            rows: Any = register_rows(sheet, plan) if plan is not None else []
            _register_sheet(package, sheet, rows, columns)
        _lists_sheet(package, lists)


class _Writing:
    """The binary file to write to: a path's own file (deleted if writing fails, so no
    half-written spreadsheet is left), or the caller's file, left open."""

    def __init__(self, target: Path | IO[bytes]) -> None:
        self.target = target

    def __enter__(self) -> IO[bytes]:
        if isinstance(self.target, Path):
            self.file: IO[bytes] | None = self.target.open("wb")
            return self.file
        self.file = None
        return self.target

    def __exit__(self, kind: object, *_rest: object) -> None:
        if self.file is not None:
            self.file.close()
            if kind is not None and isinstance(self.target, Path):
                self.target.unlink(missing_ok=True)


def _lists(
    plan: Plan | None,
) -> tuple[dict[str, list[Any]], list[dict[int, str]], list[Validation]]:
    """Every register's drop-down lists: the values of each list (one column of the hidden
    lists sheet each), each sheet's list columns (0-based: validation name), and the
    content validations reading the lists sheet, which warn about other text but accept
    it, as in the XLSX."""
    lists: dict[str, list[Any]] = {}
    per_sheet: list[dict[int, str]] = []
    names: dict[str, str] = {}
    validations: list[Validation] = []
    for sheet in SHEETS:
        columns: dict[int, str] = {}
        for index, name, values in dropdown_lists(sheet, plan):
            if name not in lists:
                lists[name] = values
                position = len(lists)
                letter = get_column_letter(position)
                last = max(len(values) + 1, 2)
                names[name] = f"list{position}"
                validations.append(
                    Validation(
                        name=names[name],
                        source=f"$'{LISTS}'.${letter}$2:.${letter}${last}",
                        base=f"$'{LISTS}'.$A$1",
                    )
                )
            columns[index - 1] = names[name]
        per_sheet.append(columns)
    return lists, per_sheet, validations


def _lists_sheet(package: OdsPackage, lists: dict[str, list[Any]]) -> None:
    """The hidden sheet of the drop-down lists' values, one list per column, as in the XLSX."""
    columns: Sequence[tuple[str, list[Any]]] = list(lists.items())
    with package.sheet(LISTS, [10] * len(columns), hidden=True):
        package.row([name for name, _values in columns])
        longest = max([len(values) for _name, values in columns] + [0])
        for index in range(longest):
            package.row(
                [values[index] if index < len(values) else None for _name, values in columns]
            )
