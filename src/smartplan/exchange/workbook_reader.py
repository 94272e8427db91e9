"""Opening uploaded workbooks safely: what is refused before any cell is read, and how
rows come out (cached values for formulas, merged cells filled, bounded rows and columns).

Every workbook is read in openpyxl's read-only (streaming) mode, whatever its size, and
only the cells it really holds are kept: a sheet's ``<dimension>`` is ignored (it is a
claim, not a fact) and no row is padded beyond the last column with a value. A 300 KB
workbook with one cell in column XFD on each of 6 000 rows used to be padded to 98 million
cells (8.7 GB); now a value beyond :data:`MAX_COLUMNS` is a problem naming its cell, and
the used range (rows x columns) is capped by :data:`MAX_CELLS`. Merged ranges (which the
streaming mode does not report) are read from the sheet's XML with lxml, one row kept at a
time. Formulas are told by the cell's type, not by text starting with "=": a string cell
"=HYPERLINK(…)" is text and stays so.
"""

from __future__ import annotations

import operator
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, count, repeat
from pathlib import Path
from typing import Any

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as DefusedET
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]
from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from smartplan.core.problems import ImportRefusedError, Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS: int = settings.IMPORT_MAX_ROWS  # see settings.py: never below what smartplan writes
# What a file may unpack to. Not a memory bound (sheets are streamed, cells capped): the time
# a parse may take. A plan's own ODS unpacks to about 700 bytes a measurement (662 MB for
# the 982 452 of a plan 100 times the demo), so a file within the row limit is never refused.
MAX_UNPACKED_BYTES = max(400 * 1024 * 1024, MAX_ROWS * 1024)
MAX_RATIO = 150  # a zip bomb packs far tighter than any spreadsheet
MAX_COLUMNS = 256  # no register has a tenth of this; column XFD (16 384) is an attack, not a table
# Rows x columns of a sheet's used range, so memory stays bounded: the longest sheet smartplan
# writes (the measurements, 7 columns) fits with room to spare, a sheet padded wide does not.
MAX_CELLS = 16 * MAX_ROWS
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_ROWS = 50  # the rows of a streamed sheet kept to find its header in


@dataclass
class SheetData:
    """One sheet (or a Word table) as rows of values, whatever the file's format.

    ``warnings`` are problems that do not stop the import but the user must check (a value
    taken from a link to another file); the import report shows them.
    """

    name: str
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # A sheet read as it is used (see ``read_workbook(stream=…)``): ``rows`` holds only its
    # first :data:`HEAD_ROWS` rows (where a header is looked for), ``stream()`` gives them all.
    stream: Callable[[], Iterator[tuple[int, tuple[Any, ...]]]] | None = None

    def all_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Every row of the sheet: streamed from the file, or the rows kept."""
        return self.stream() if self.stream is not None else iter(self.rows)


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
    check_zip_container(
        path,
        name,
        not_this=_("This is not an XLSX workbook (nor a CSV file)."),
        required="xl/workbook.xml",
    )


# Everything openpyxl, lxml, defusedxml or zipfile raise on a malformed or cut workbook:
# parse errors (ET.ParseError and lxml's XMLSyntaxError are SyntaxErrors; defusedxml's are
# ValueErrors), a cut ZIP member, and the odd error of a part that has the wrong shape.
_BROKEN = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    SyntaxError,
    TypeError,
    AttributeError,
    IndexError,
    EOFError,
    zlib.error,
    RecursionError,
)


def _unreadable(exc: BaseException, name: str) -> ImportRefusedError:
    if isinstance(exc, SyntaxError | ValueError | EOFError | zlib.error):
        return _refuse(_("The workbook's XML is malformed or cut off; the file is damaged."), name)
    return _refuse(
        _("The workbook cannot be read (%(detail)s).") % {"detail": type(exc).__name__}, name
    )


class _UnsizedWorksheet(ReadOnlyWorksheet):
    """A streaming sheet that does not look for its ``<dimension>`` when opened.

    openpyxl reads a sheet up to its ``<dimension>`` when the workbook is opened; a sheet
    without one (what write-only mode writes) is parsed to its end for it, every sheet at
    every opening: a third of an import's time. The claim is reset anyway (not trusted).
    """

    def _get_size(self) -> None:
        return None


class _Reader(ExcelReader):
    """openpyxl's read-only reader, its worksheets opened without their dimension (what
    ``ExcelReader.read_worksheets`` does in read-only mode, with :class:`_UnsizedWorksheet`),
    and the shared strings of an earlier opening of the file taken as they were read."""

    def __init__(self, path: Path, *, values: bool, strings: Any = None) -> None:
        super().__init__(path, read_only=True, data_only=values)
        self._strings = strings

    def read_strings(self) -> None:
        if self._strings is None:
            super().read_strings()
        else:
            reader: Any = self
            reader.shared_strings = self._strings

    def read_worksheets(self) -> None:
        reader: Any = self  # openpyxl's own attributes, loosely typed by its stubs
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files:
                continue
            if "chartsheet" in rel.Type:
                reader.read_chartsheet(sheet, rel)
                continue
            ws = _UnsizedWorksheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
            ws.sheet_state = sheet.state
            reader.wb._sheets.append(ws)


@contextmanager
def _opened(path: Path, *, values: bool, name: str, strings: Any = None) -> Iterator[Any]:
    """The workbook (see :func:`_load`) while it is read, closed after: whatever a malformed
    or cut file raises while its sheets are read refuses it, naming the file."""
    workbook = _load(path, values=values, name=name, strings=strings)
    try:
        yield workbook
    except ImportRefusedError:
        raise
    except (*_BROKEN, etree.LxmlError) as exc:
        raise _unreadable(exc, name) from None
    finally:
        workbook.close()


def _load(path: Path, *, values: bool, name: str, strings: Any = None) -> Any:
    try:
        if not hasattr(ReadOnlyWorksheet, "_get_size"):  # another openpyxl: its own way
            return load_workbook(path, read_only=True, data_only=values)
        reader = _Reader(path, values=values, strings=strings)
        reader.read()
        return reader.wb
    except _BROKEN as exc:
        raise _unreadable(exc, name) from None


# An external workbook in an OOXML formula is stored as its index: [1]List1!A1, '[2]x'!B2.
# A structured reference's brackets follow a table name (Tabulka1[2020]), never a quote,
# an operator or the start.
_EXTERNAL = re.compile(r"(?<![\w\]])\[\d+\]")


@dataclass
class _Sheet:
    """What one sheet collects while its rows stream by: only rows with a value."""

    name: str
    source: str
    rows: dict[int, list[Any]] = field(default_factory=dict)
    width: int = 0
    last: int = 0
    formulas: dict[int, list[int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, number: int, cells: tuple[Any, ...]) -> None:
        if len(cells) > MAX_COLUMNS:
            self._beyond(number, cells)
            cells = cells[:MAX_COLUMNS]
        values = [cell.value for cell in cells]
        kinds = [cell.data_type for cell in cells]
        if "f" in kinds:  # a formula by the cell's type, never by its text
            columns = [column for column, kind in enumerate(kinds) if kind == "f"]
            self.formulas[number] = columns
        filled = list(map(operator.is_not, values, repeat(None)))  # in C, not a Python loop
        if True not in filled:
            return
        del values[len(filled) - filled[::-1].index(True) :]  # trailing empty cells
        self.count(number, len(values))
        self.rows[number] = values

    def count(self, number: int, width: int) -> None:
        """Row ``number`` holds values in its first ``width`` columns: within the limits?"""
        if number > MAX_ROWS + 1:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s rows; split it.")
                % {"sheet": self.name, "limit": f"{MAX_ROWS:,}".replace(",", "\xa0")},
                self.source,
            )
        self.last = number
        self.width = max(self.width, width)
        self._check_cells()

    def _check_cells(self) -> None:
        if self.last * self.width > MAX_CELLS:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s cells; split it.")
                % {"sheet": self.name, "limit": f"{MAX_CELLS:,}".replace(",", "\xa0")},
                self.source,
            )

    def _beyond(self, number: int, cells: tuple[Any, ...]) -> None:
        """A problem for each value past the column limit (styled empty cells are fine).

        openpyxl pads the row with one shared empty cell up to its last real cell, which
        is where a hostile row keeps its value; when nothing else stands past the limit (a
        comparison made in C, by identity), the row costs microseconds, not a Python loop
        over 16 000 cells.
        """
        middle = cells[MAX_COLUMNS:-1]
        try:
            only_last = middle == (EMPTY_CELL,) * len(middle)
        except AttributeError:  # a real cell compared with the padding: there is one
            only_last = False
        real = [c for c in cells[MAX_COLUMNS:] if c is not EMPTY_CELL] if not only_last else []
        picked = [cells[-1]] if only_last else real
        self._beyond_found(number, [(cell.column, cell.value) for cell in picked])

    def beyond_values(self, number: int, values: tuple[Any, ...]) -> None:
        """:meth:`_beyond` for a row of values (a streamed sheet); the search runs in C."""
        filled = map(operator.is_not, values[MAX_COLUMNS:], repeat(None))
        columns = compress(count(MAX_COLUMNS + 1), filled)
        self._beyond_found(number, [(column, values[column - 1]) for column in columns])

    def _beyond_found(self, number: int, found: list[tuple[int, Any]]) -> None:
        for column, value in found:
            if value is None:
                continue
            self.problems.append(
                Problem(
                    number,
                    get_column_letter(column),
                    value,
                    _(
                        "a value beyond column %(letter)s; a sheet may have at most "
                        "%(limit)s columns"
                    )
                    % {"letter": get_column_letter(MAX_COLUMNS), "limit": MAX_COLUMNS},
                    self.name,
                )
            )
            if len(self.problems) >= 20:
                raise ImportRefusedError(self.problems, source=self.source)

    def fill_merged(self, ranges: list[tuple[int, int, int, int]]) -> None:
        """Give every cell of a merged range its anchor's value, as the sheet shows it.

        Ranges are clipped to the column limit and to the last row with a value, so a
        range claiming the whole sheet costs no more than the sheet's real rows; a pile of
        overlapping ranges is refused once the cells filled pass :data:`MAX_CELLS`.
        """
        filled = 0
        for min_col, min_row, max_col, max_row in ranges:
            anchor = self.rows.get(min_row)
            value = anchor[min_col - 1] if anchor and len(anchor) >= min_col else None
            right = min(max_col, MAX_COLUMNS)
            if value is None or min_col > right:
                continue
            for number in range(min_row, min(max_row, self.last) + 1):
                row = self.rows.setdefault(number, [])
                if len(row) < right:
                    row.extend([None] * (right - len(row)))
                row[min_col - 1 : right] = [value] * (right - min_col + 1)
                filled += right - min_col + 1
                if filled > MAX_CELLS:
                    self.width = MAX_CELLS  # refused below as too many cells
                    break
            self.width = max(self.width, right)
            self._check_cells()

    def data(self) -> SheetData:
        """Rows 1…last as equal-width tuples, as openpyxl's full mode gives them."""
        empty = (None,) * self.width
        result = SheetData(self.name)
        for number in range(1, self.last + 1):
            row = self.rows.get(number)
            if row is None:
                result.rows.append((number, empty))
            else:
                result.rows.append((number, (*row, *((None,) * (self.width - len(row))))))
        return result


def _merged_ranges(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (min col, min row, max col, max row).

    openpyxl's streaming mode does not report them, so the sheet's XML is read once more
    with lxml (DTDs were refused before; entities and the network stay off), only the
    ``mergeCell`` elements taken, and each row dropped as soon as it is passed.
    """
    ranges: list[tuple[int, int, int, int]] = []
    if not _mentions(archive, part, b"mergeCell"):
        return ranges  # most sheets: a scan of the bytes in C, not a second parse
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with archive.open(part) as stream:
        for _event, element in etree.iterparse(
            stream,
            events=("end",),
            tag=(f"{{{namespace}}}row", f"{{{namespace}}}mergeCell"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        ):
            if element.tag.endswith("mergeCell"):
                reference = element.get("ref") or ""
                try:
                    bounds = range_boundaries(reference)
                except (ValueError, TypeError):
                    continue
                if None not in bounds:
                    ranges.append(bounds)  # type: ignore[arg-type]
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return ranges


def _mentions(archive: zipfile.ZipFile, part: str, word: bytes) -> bool:
    """Whether the part's unpacked bytes contain ``word`` (read in bounded chunks)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            if word in tail + chunk[: len(word)] or word in chunk:
                return True
            tail = chunk[-len(word) :]
    return False


# What a sheet needs the full read for: merged cells, or a formula (``<f>``, ``<x:f …>``).
_NOT_PLAIN = re.compile(rb"mergeCell|<(?:\w+:)?f[\s>/]")


def _plain(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet has neither merged cells nor formulas (its bytes scanned in C)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            if _NOT_PLAIN.search(tail + chunk):
                return False
            tail = chunk[-32:]
    return True


def _stream_rows(
    path: Path, title: str, name: str, strings: Any
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows with a value of one plain sheet, one at a time, trailing empty cells cut.

    The limits of :func:`read_workbook` hold (a row past :data:`MAX_ROWS` or the used range
    past :data:`MAX_CELLS` refuses the file as soon as it is met; values beyond
    :data:`MAX_COLUMNS` are problems naming their cells), but no row is kept: a sheet of a
    million measurements costs the memory of one row.
    """
    sheet = _Sheet(title, name)
    with _opened(path, values=True, name=name, strings=strings) as workbook:
        ws = workbook[title]
        ws.reset_dimensions()
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if len(values) > MAX_COLUMNS:
                sheet.beyond_values(number, values)
                values = values[:MAX_COLUMNS]
            filled = list(map(operator.is_not, values, repeat(None)))
            if True not in filled:
                continue
            width = len(filled) - filled[::-1].index(True)
            sheet.count(number, width)
            yield number, values if width == len(values) else values[:width]
    if sheet.problems:
        raise ImportRefusedError(sheet.problems, source=name)


def read_workbook(
    path: Path,
    *,
    sheets: set[str] | None = None,
    source_name: str | None = None,
    stream: frozenset[str] = frozenset(),
) -> dict[str, SheetData]:
    """Rows of the workbook's sheets (all, or those named), as (row number, values).

    A formula gives its cached value (with a warning when it comes from another file);
    a formula without one is a problem. Refuses files that are not XLSX, encrypted, too
    big when packed or unpacked, malformed (DTDs, entities, cut XML), or have too many
    rows, columns or cells.

    A sheet named in ``stream`` that has neither formulas nor merged cells (what smartplan
    writes) is not kept: its ``SheetData`` holds the first :data:`HEAD_ROWS` rows and its
    ``stream()`` reads the rows one at a time (the file must still be there), so a sheet of a
    million rows goes through in the memory of one. Its rows are not padded to one width.
    """
    name = source_name or path.name
    _check_container(path, name)
    found: list[_Sheet] = []
    streams: dict[str, Callable[[], Iterator[tuple[int, tuple[Any, ...]]]]] = {}
    with _opened(path, values=False, name=name) as workbook, zipfile.ZipFile(path) as archive:
        linked = any(n.startswith("xl/externalLinks/") for n in archive.namelist())
        for ws in workbook.worksheets:
            if sheets is not None and ws.title not in sheets:
                continue
            sheet = _Sheet(ws.title, name)
            ws.reset_dimensions()  # the <dimension> claim is not trusted
            streamed = ws.title in stream and _plain(archive, ws._worksheet_path)
            rows = ws.iter_rows(max_row=HEAD_ROWS) if streamed else ws.iter_rows()
            for number, cells in enumerate(rows, start=1):
                if cells:
                    sheet.add(number, cells)
            if streamed:
                strings = getattr(ws, "_shared_strings", None)  # read once, not twice
                streams[ws.title] = partial(_stream_rows, path, ws.title, name, strings)
            else:
                sheet.fill_merged(_merged_ranges(archive, ws._worksheet_path))
            found.append(sheet)
    problems = [problem for sheet in found for problem in sheet.problems]
    if problems:
        raise ImportRefusedError(problems, source=name)
    result = {sheet.name: sheet.data() for sheet in found}
    for title, opener in streams.items():
        result[title].stream = opener
    if any(sheet.formulas for sheet in found):
        _cached_values(path, found, result, name, linked=linked)
    return result


def _cached_values(
    path: Path, found: list[_Sheet], result: dict[str, SheetData], name: str, *, linked: bool
) -> None:
    """Replace formulas by the values Excel saved with them; none saved is a problem.

    A value a formula took from another workbook is kept with a warning naming its cell:
    the user must check it, since the other file is not part of the import.
    """
    problems = []
    with _opened(path, values=True, name=name) as cached:
        for sheet in found:
            if not sheet.formulas:
                continue
            data = result[sheet.name]
            rows = dict(data.rows)
            last_row = max(sheet.formulas)
            last_col = max(max(columns) for columns in sheet.formulas.values()) + 1
            ws = cached[sheet.name]
            ws.reset_dimensions()
            saved = ws.iter_rows(max_row=last_row, max_col=last_col, values_only=True)
            for number, values in enumerate(saved, start=1):
                for column in sheet.formulas.get(number, ()):
                    formula = getattr(rows[number][column], "text", rows[number][column])
                    value = values[column] if column < len(values) else None
                    letter = get_column_letter(column + 1)
                    if value is None:
                        message = _("a formula without a saved result; open and save it in Excel")
                        problems.append(Problem(number, letter, formula, message, sheet.name))
                        continue
                    if _EXTERNAL.search(str(formula)) or (linked and "[" in str(formula)):
                        data.warnings.append(
                            Problem(
                                number,
                                letter,
                                value,
                                _("value taken from a link to another file, check it"),
                                sheet.name,
                            )
                        )
                    updated = list(rows[number])
                    updated[column] = value
                    rows[number] = tuple(updated)
            data.rows = sorted(rows.items())
    if problems:
        raise ImportRefusedError(problems, source=name)
