"""Opening uploaded workbooks safely: what is refused before any cell is read, and how
rows come out (cached values for formulas, merged cells filled, a bounded row count)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from smartplan.core.problems import ImportRefusedError, Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150  # a zip bomb packs far tighter than any spreadsheet
MAX_ROWS = 200_000
FULL_MODE_BYTES = 8 * 1024 * 1024  # smaller files are read whole, so merged cells can be filled
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetData:
    name: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)


def _refuse(message: str, source: str) -> ImportRefusedError:
    return ImportRefusedError([Problem(None, None, None, message)], source=source)


def _check_container(path: Path, name: str) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(
            _("The file has %(mb)s MB; the limit is 50 MB.") % {"mb": size // 2**20}, name
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise _refuse(
            _(
                "The workbook is password-protected or in the old .xls format. Remove the "
                "password, or save it as .xlsx, and upload it again."
            ),
            name,
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(_("This is not an XLSX workbook (nor a CSV file)."), name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise _refuse(_("The XLSX file is damaged."), name) from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or (unpacked / packed > MAX_RATIO and unpacked > 2**24):
        raise _refuse(
            _("The workbook unpacks to %(mb)s MB; it is refused as too large or malformed.")
            % {"mb": unpacked // 2**20},
            name,
        )
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise _refuse(_("This is not an XLSX workbook (nor a CSV file)."), name)


def _load(path: Path, *, values: bool, name: str) -> Any:
    read_only = path.stat().st_size > FULL_MODE_BYTES
    try:
        return load_workbook(path, read_only=read_only, data_only=values)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _refuse(
            _("The workbook cannot be read (%(detail)s).") % {"detail": type(exc).__name__},
            name,
        ) from None


def _merged_fill(ws: Any) -> dict[tuple[int, int], Any]:
    filled: dict[tuple[int, int], Any] = {}
    for merged in getattr(ws, "merged_cells", None) or []:
        anchor = ws.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) != (merged.min_row, merged.min_col):
                    filled[(row, column)] = anchor
    return filled


def _rows(ws: Any, source: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    filled = _merged_fill(ws)
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s rows; split it.")
                % {"sheet": ws.title, "limit": f"{MAX_ROWS:,}".replace(",", "\xa0")},
                source,
            )
        if filled:
            values = tuple(
                filled.get((number, column), value) for column, value in enumerate(values, start=1)
            )
        yield number, values


def read_workbook(
    path: Path, *, sheets: set[str] | None = None, source_name: str | None = None
) -> dict[str, SheetData]:
    """Rows of the workbook's sheets (all, or those named), as (row number, values).

    A formula gives its cached value; a formula without one is a problem. Refuses files
    that are not XLSX, encrypted, too big when packed or unpacked, or have too many rows.
    """
    name = source_name or path.name
    _check_container(path, name)
    workbook = _load(path, values=False, name=name)
    result: dict[str, SheetData] = {}
    formulas: dict[str, list[tuple[int, int]]] = {}
    try:
        for ws in workbook.worksheets:
            if sheets is not None and ws.title not in sheets:
                continue
            data = SheetData(ws.title)
            for number, values in _rows(ws, name):
                for column, value in enumerate(values):
                    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
                        formulas.setdefault(ws.title, []).append((number, column))
                data.rows.append((number, values))
            result[ws.title] = data
    finally:
        if hasattr(workbook, "close"):
            workbook.close()
    if formulas:
        _cached_values(path, result, formulas, name)
    return result


def _cached_values(
    path: Path, result: dict[str, SheetData], formulas: dict[str, list[tuple[int, int]]], name: str
) -> None:
    """Replace formulas by the values Excel saved with them; none saved is a problem."""
    cached = _load(path, values=True, name=name)
    problems = []
    try:
        for title, cells in formulas.items():
            ws = cached[title]
            rows = dict(result[title].rows)
            for number, column in cells:
                value = ws.cell(number, column + 1).value
                if value is None:
                    message = _("a formula without a saved result; open and save it in Excel")
                    letter = _column_letter(column)
                    problems.append(Problem(number, letter, rows[number][column], message, title))
                    continue
                values = list(rows[number])
                values[column] = value
                rows[number] = tuple(values)
            result[title].rows = sorted(rows.items())
    finally:
        if hasattr(cached, "close"):
            cached.close()
    if problems:
        raise ImportRefusedError(problems, source=name)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
