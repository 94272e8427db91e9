"""Opening uploaded workbooks safely: what is refused before any cell is read, and how
rows come out (cached values for formulas, merged cells filled, a bounded row count)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as DefusedET
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from smartplan.core.problems import ImportRefusedError, Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150  # a zip bomb packs far tighter than any spreadsheet
MAX_ROWS = 200_000
MAX_COLUMNS = 256  # no register has a tenth of this; column XFD (16 384) is an attack, not a table
MAX_CELLS = 4_000_000  # rows x columns of a sheet's used range, so memory stays bounded
FULL_MODE_BYTES = 8 * 1024 * 1024  # smaller files are read whole, so merged cells can be filled
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetData:
    """One sheet (or a Word table) as rows of values, whatever the file's format.

    ``warnings`` are problems that do not stop the import but the user must check (a value
    taken from a link to another file); the import report shows them.
    """

    name: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _refuse(message: str, source: str) -> ImportRefusedError:
    return ImportRefusedError([Problem(None, None, None, message)], source=source)


def check_zip_container(path: Path, name: str, *, not_this: str, required: str) -> None:
    """Refuse a ZIP container that is too big, unpacks too far (a zip bomb), is damaged,
    lacks its ``required`` member, or declares a DTD in any XML part, before any parser
    sees it. ``not_this`` is the message for a file of another kind."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(
            _("The file has %(mb)s MB; the limit is 50 MB.") % {"mb": size // 2**20}, name
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(not_this, name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _container_limits(members, name)
            if not any(member.filename == required for member in members):
                raise _refuse(not_this, name)
            xml_declarations_refuse(archive, name)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise _refuse(_("The file is damaged (a broken ZIP container)."), name) from None


def _container_limits(members: list[zipfile.ZipInfo], name: str) -> None:
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or (unpacked / packed > MAX_RATIO and unpacked > 2**24):
        raise _refuse(
            _("The workbook unpacks to %(mb)s MB; it is refused as too large or malformed.")
            % {"mb": unpacked // 2**20},
            name,
        )


def xml_declarations_refuse(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse any XML part that declares a DTD (entities, external references).

    Office files never carry a DTD; one is how entity expansion ("billion laughs") and
    external entities get in. A DTD can only stand before the root element, so each part
    is parsed (defused, DTDs forbidden) only up to its root's start: cheap, and it covers
    every parser that reads the part later (openpyxl's lxml, python-docx, ours).
    """
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels")) or member.file_size == 0:
            continue
        try:
            with archive.open(member) as stream:
                events = DefusedET.iterparse(stream, events=("start",), forbid_dtd=True)
                next(iter(events), None)
        except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
            raise _refuse(
                _(
                    "The part %(part)s declares a DTD or entities, which office files never do; "
                    "the file is refused as malformed or hostile."
                )
                % {"part": member.filename},
                name,
            ) from None
        except ET.ParseError:
            raise _refuse(
                _("The part %(part)s is not well-formed XML; the file is damaged.")
                % {"part": member.filename},
                name,
            ) from None


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
