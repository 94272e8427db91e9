"""LibreOffice Calc (.ods) sheets as the same rows the XLSX reader gives.

Why ``content.xml`` is parsed here with lxml's ``iterparse`` and not through odfpy's
document model: odfpy builds the whole document as Python objects (every cell, every
paragraph, every repeated-cell element) before a single value can be read, so its memory
grows with the file, and it uses the standard library's expat without the defused
settings. A streaming parse keeps one row in memory at a time (each row is cleared and
dropped once read), and lets the repeat counts be handled arithmetically: LibreOffice
writes the unused rest of a sheet as a row repeated ~1 048 576 times and the rest of a row
as a cell repeated ~16 384 times; those are counted, never expanded, unless something
non-empty follows them. What defusedxml guarded stays guarded: any DTD is refused before
the parse (``workbook_reader.check_zip_container``), and the parser resolves no entities,
loads no DTD, opens no network connection and keeps libxml2's limits on text size and
nesting depth (no ``huge_tree``).

A sheet named in ``read_ods(stream=…)`` of a file without formulas or merged cells (what
smartplan writes) is not kept: its ``SheetData`` holds the first rows (where a header is
looked for) and ``stream()`` parses the file again, a row at a time, as the XLSX reader
streams its sheets: a sheet of a million measurements costs the memory of one row.

Values come out as openpyxl gives them for an XLSX: numbers as ``int`` when integral, else
``float``; dates as ``datetime.date`` (``datetime.datetime`` when a time is set); times as
``datetime.time``; booleans; text with its paragraphs joined by a line break. A formula
gives the value LibreOffice saved with it; one without a saved value is a problem. Merged
cells (``number-columns-spanned`` / ``number-rows-spanned``) are filled with their
anchor's value, as the XLSX reader fills merged ranges; covered cells' own content (hidden
by the merge) is ignored, as Excel ignores it. Hidden rows and columns are read like any
other: their data is data.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter

from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange import workbook_reader
from smartplan.exchange.workbook_reader import SheetData

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

T_TABLE = f"{{{TABLE}}}table"
T_ROW = f"{{{TABLE}}}table-row"
T_CELL = f"{{{TABLE}}}table-cell"
T_COVERED = f"{{{TABLE}}}covered-table-cell"
A_NAME = f"{{{TABLE}}}name"
A_ROWS_REPEATED = f"{{{TABLE}}}number-rows-repeated"
A_COLS_REPEATED = f"{{{TABLE}}}number-columns-repeated"
A_COLS_SPANNED = f"{{{TABLE}}}number-columns-spanned"
A_ROWS_SPANNED = f"{{{TABLE}}}number-rows-spanned"
A_FORMULA = f"{{{TABLE}}}formula"
A_VALUE_TYPE = f"{{{OFFICE}}}value-type"
A_VALUE = f"{{{OFFICE}}}value"
A_DATE = f"{{{OFFICE}}}date-value"
A_TIME = f"{{{OFFICE}}}time-value"
A_BOOL = f"{{{OFFICE}}}boolean-value"
A_STRING = f"{{{OFFICE}}}string-value"
A_CALC_TYPE = f"{{{CALCEXT}}}value-type"
X_P = f"{{{TEXT}}}p"
X_H = f"{{{TEXT}}}h"
X_S = f"{{{TEXT}}}s"
X_C = f"{{{TEXT}}}c"
X_TAB = f"{{{TEXT}}}tab"
X_BREAK = f"{{{TEXT}}}line-break"
X_NOTE = f"{{{TEXT}}}note"

MAX_SPACES = 1000  # one <text:s text:c="…"/> may not blow a cell up to gigabytes
MAX_PROBLEMS = 20
_DURATION = re.compile(r"^-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")
# An ODF formula that reads another file: ['file:///…'#$Sheet1.A1] or 'file:…'#$Sheet1.A1
_EXTERNAL = re.compile(r"'[^']*'#\$|\bfile:", re.IGNORECASE)


def _refuse(message: str, source: str) -> ImportRefusedError:
    return ImportRefusedError([Problem(None, None, None, message)], source=source)


# lxml's elements; its stubs are not installed.
Element = Any


def _text(element: Element) -> str:
    """A paragraph's text with its spaces, tabs and line breaks, without notes."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            pass  # an XML comment or processing instruction: only its tail is text
        elif child.tag == X_S:
            count = child.get(X_C) or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, MAX_SPACES))
        elif child.tag == X_TAB:
            parts.append("\t")
        elif child.tag == X_BREAK:
            parts.append("\n")
        elif child.tag != X_NOTE:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(cell: Element) -> str:
    # Only the cell's own paragraphs: annotations (comments) and drawings hold their own.
    return "\n".join(_text(child) for child in cell if child.tag in (X_P, X_H))


def _number(raw: str) -> int | float:
    number = float(raw)
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def _date(raw: str) -> dt.date | dt.datetime:
    if "T" in raw:
        moment = dt.datetime.fromisoformat(raw)
        if moment.tzinfo is None and moment.time() == dt.time(0):
            return moment.date()
        return moment
    return dt.date.fromisoformat(raw[:10])


def _time(raw: str) -> dt.time | dt.timedelta:
    match = _DURATION.match(raw)
    if not match:
        raise ValueError(raw)
    days, hours, minutes, seconds = (float(part or 0) for part in match.groups())
    delta = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if dt.timedelta(0) <= delta < dt.timedelta(days=1):
        return (dt.datetime.min + delta).time()
    return delta


def _typed(cell: Element) -> Any:
    """The value the cell shows, by its office:value-type (its cached value for a formula)."""
    kind = cell.get(A_VALUE_TYPE)
    if cell.get(A_CALC_TYPE) == "error":
        return _cell_text(cell) or None  # "#DIV/0!", as openpyxl gives an Excel error
    if kind in ("float", "percentage", "currency"):
        return _number(cell.get(A_VALUE) or "0")
    if kind == "date":
        return _date(cell.get(A_DATE) or "")
    if kind == "time":
        return _time(cell.get(A_TIME) or "")
    if kind == "boolean":
        return (cell.get(A_BOOL) or "").lower() in ("true", "1")
    if kind == "string" and cell.get(A_STRING) is not None:
        return cell.get(A_STRING) or None
    return _cell_text(cell) or None


@dataclass
class _Sheet:
    """What one table collects while its rows stream by."""

    name: str
    source: str
    rows: list[tuple[int, dict[int, Any]]] = field(default_factory=list)
    width: int = 0
    cells: int = 0
    next_row: int = 1
    # Merged areas still to fill: (first row, last row, first column, last column, value).
    spans: list[tuple[int, int, int, int, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, row: int, column: int, value: Any, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, get_column_letter(column), value, message, self.name))

    def read_row(self, row: Element) -> None:
        """Add the row (repeated as it says), counting empty repeats instead of storing them."""
        number = self.next_row
        values = self._cells(row, number)
        repeat = _count(row.get(A_ROWS_REPEATED))
        self.next_row = number + repeat
        if not values:
            if not self._spans_within(number, number + repeat - 1):
                return  # an empty stretch (such as the sheet's unused rest) costs nothing
            repeat = min(repeat, max(span[1] for span in self.spans) - number + 1)
        for offset in range(repeat):
            self._store(number + offset, dict(values))

    def _spans_within(self, first: int, last: int) -> bool:
        return any(span[0] <= last and span[1] >= first for span in self.spans)

    def _store(self, number: int, values: dict[int, Any]) -> None:
        for first, last, left, right, value in self.spans:
            if first <= number <= last:
                for column in range(left, right + 1):
                    values[column] = value
        self.spans = [span for span in self.spans if span[1] > number]
        if not values:
            return
        if number > workbook_reader.MAX_ROWS + 1:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s rows; split it.")
                % {
                    "sheet": self.name,
                    "limit": f"{workbook_reader.MAX_ROWS:,}".replace(",", "\xa0"),
                },
                self.source,
            )
        self.width = max(self.width, max(values) + 1)
        self.cells += len(values)
        if number * self.width > workbook_reader.MAX_CELLS:
            raise _refuse(
                _("The sheet “%(sheet)s” has more than %(limit)s cells; split it.")
                % {
                    "sheet": self.name,
                    "limit": f"{workbook_reader.MAX_CELLS:,}".replace(",", "\xa0"),
                },
                self.source,
            )
        self.rows.append((number, values))

    def _cells(self, row: Element, number: int) -> dict[int, Any]:
        """The row's non-empty cells by column index (0-based); empty repeats only counted."""
        values: dict[int, Any] = {}
        column = 0
        limit = workbook_reader.MAX_COLUMNS
        for cell in row:
            if cell.tag not in (T_CELL, T_COVERED):
                continue
            repeat = _count(cell.get(A_COLS_REPEATED))
            value = None if cell.tag == T_COVERED else self._value(cell, number, column)
            if value is not None:
                if column + 1 > limit:
                    self._beyond(number, column, value)
                else:
                    for offset in range(min(repeat, limit - column)):
                        values[column + offset] = value
                    if column + repeat > limit:
                        self._beyond(number, limit, value)
                    self._span(cell, number, column, value)
            column += repeat
        return values

    def _span(self, cell: Element, number: int, column: int, value: Any) -> None:
        across = _count(cell.get(A_COLS_SPANNED))
        down = _count(cell.get(A_ROWS_SPANNED))
        if across == 1 and down == 1:
            return
        right = min(column + across, workbook_reader.MAX_COLUMNS) - 1
        if across > 1 and right > column:
            self.spans.append((number, number, column + 1, right, value))
        if down > 1:
            self.spans.append((number + 1, number + down - 1, column, right, value))

    def _beyond(self, number: int, column: int, value: Any) -> None:
        self.problem(
            number,
            column + 1,
            value,
            _("a value beyond column %(letter)s; a sheet may have at most %(limit)s columns")
            % {
                "letter": get_column_letter(workbook_reader.MAX_COLUMNS),
                "limit": workbook_reader.MAX_COLUMNS,
            },
        )

    def _value(self, cell: Element, number: int, column: int) -> Any:
        formula = cell.get(A_FORMULA)
        if formula is not None and cell.get(A_VALUE_TYPE) is None and not _cell_text(cell):
            self.problem(
                number,
                column + 1,
                formula.removeprefix("of:"),
                _("a formula without a saved result; open and save it in the spreadsheet"),
            )
            return None
        try:
            value = _typed(cell)
        except ValueError:
            self.problem(number, column + 1, _cell_text(cell), _("an unreadable value"))
            return None
        if formula is not None and value is not None and _EXTERNAL.search(formula):
            self.warnings.append(
                Problem(
                    number,
                    get_column_letter(column + 1),
                    value,
                    _("value taken from a link to another file, check it"),
                    self.name,
                )
            )
        return value

    def data(self) -> SheetData:
        """Rows 1…last as equal-width tuples, as openpyxl gives them."""
        empty = (None,) * self.width
        result = SheetData(self.name, warnings=self.warnings)
        stored = iter(self.rows)
        upcoming = next(stored, None)
        last = self.rows[-1][0] if self.rows else 0
        for number in range(1, last + 1):
            if upcoming is not None and upcoming[0] == number:
                cells = upcoming[1]
                result.rows.append(
                    (number, tuple(cells.get(column) for column in range(self.width)))
                )
                upcoming = next(stored, None)
            else:
                result.rows.append((number, empty))
        return result


def _count(raw: str | None) -> int:
    if raw is None:
        return 1
    try:
        return max(int(raw), 1)
    except ValueError:
        return 1


# Rows as they end, tables as they start and end: every other element is left to lxml.
_TABLE_START, _ROW, _TABLE_END = "table", "row", "end"


def _events(stream: IO[bytes]) -> Iterator[tuple[str, Element]]:
    """The sheets' tables (at start and end) and their own rows (at end) of content.xml;
    each row is cleared and dropped once the caller has read it, so memory holds one row.

    A row or table inside a cell belongs to a sub-table (old ODF), read as the cell's
    content, never as the sheet's.
    """
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        tag=(T_TABLE, T_ROW),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    for event, element in events:
        if (event == "start" and element.tag == T_ROW) or _in_cell(element):
            continue
        if element.tag == T_TABLE:
            yield (_TABLE_START if event == "start" else _TABLE_END), element
        elif event == "end":
            yield _ROW, element
        else:
            continue
        if event == "end":
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]  # rows (and tables) already read


def _in_cell(element: Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in (T_CELL, T_COVERED):
            return True
        if parent.tag == T_TABLE:
            return _in_cell(parent)
        parent = parent.getparent()
    return False


def _parse(
    stream: IO[bytes], sheets: set[str] | None, source: str, heads: frozenset[str]
) -> list[_Sheet]:
    """Every sheet wanted, its rows kept; of a sheet in ``heads``, only its first
    :data:`~workbook_reader.HEAD_ROWS` rows (the rest is parsed past, not read)."""
    found: list[_Sheet] = []
    current: _Sheet | None = None
    for kind, element in _events(stream):
        if kind == _TABLE_START:
            name = element.get(A_NAME) or f"Sheet{len(found) + 1}"
            current = _Sheet(name, source) if sheets is None or name in sheets else None
            if current is not None:
                found.append(current)
        elif kind == _TABLE_END:
            current = None
        elif current is not None:
            if current.name in heads and current.next_row > workbook_reader.HEAD_ROWS:
                continue
            current.read_row(element)
    for sheet in found:
        if sheet.name in heads:
            sheet.rows = [row for row in sheet.rows if row[0] <= workbook_reader.HEAD_ROWS]
    return found


def _stream_rows(path: Path, title: str, name: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows with a value of one sheet, one at a time (not padded to one width).

    The limits hold as when the sheet is read whole (too many rows or cells refuse the
    file as soon as they are met; a problem in a cell refuses it once the sheet is read),
    but no row is kept.
    """
    sheet = _Sheet(title, name)
    with _reading(name), zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        inside = False
        for kind, element in _events(stream):
            if kind == _TABLE_START:
                inside = element.get(A_NAME) == title
            elif kind == _TABLE_END:
                if inside:
                    break
            elif inside:
                sheet.read_row(element)
                for number, values in sheet.rows:
                    yield number, tuple(values.get(column) for column in range(max(values) + 1))
                sheet.rows.clear()
    if sheet.problems:
        raise ImportRefusedError(sheet.problems, source=name)


# What a sheet needs to be read whole for: a formula (its warnings are known up front) or a
# merged area, anywhere in the file.
_NOT_PLAIN = re.compile(rb"table:formula=|table:number-(?:columns|rows)-spanned=")


def _plain(archive: zipfile.ZipFile) -> bool:
    """Whether content.xml has neither formulas nor merged cells (its bytes scanned in C)."""
    tail = b""
    with archive.open("content.xml") as stream:
        while chunk := stream.read(1 << 20):
            if _NOT_PLAIN.search(tail + chunk):
                return False
            tail = chunk[-40:]
    return True


@contextmanager
def _reading(name: str) -> Iterator[None]:
    """Whatever a malformed or cut file raises while content.xml is read refuses it."""
    try:
        yield
    except _BROKEN:
        raise _refuse(
            _("The spreadsheet's content cannot be read (malformed or damaged XML)."), name
        ) from None


_BROKEN = (
    etree.LxmlError,
    SyntaxError,
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    RecursionError,  # paragraphs nested thousands deep
)


def read_ods(
    path: Path,
    *,
    sheets: set[str] | None = None,
    source_name: str | None = None,
    stream: frozenset[str] = frozenset(),
) -> dict[str, SheetData]:
    """Rows of the spreadsheet's sheets (all, or those named), as (row number, values).

    Refuses, naming ``source_name``, a file that is too big packed or unpacked, damaged,
    not an ODS spreadsheet, carries a DTD, or has more rows, columns or cells than the
    limits the XLSX reader keeps; a formula without a saved value is a problem. A sheet
    named in ``stream`` is read as it is used when the file has neither formulas nor
    merged cells (see the module's docstring): iterate ``SheetData.all_rows()``.
    """
    name = source_name or path.name
    not_this = _("This is not an ODS spreadsheet.")
    workbook_reader.check_zip_container(path, name, not_this=not_this, required="content.xml")
    with _reading(name), zipfile.ZipFile(path) as archive:
        heads = stream if stream and _plain(archive) else frozenset()
        with archive.open("content.xml") as content:
            found = _parse(content, sheets, name, heads)
    problems = [problem for sheet in found for problem in sheet.problems]
    if problems:
        raise ImportRefusedError(problems, source=name)
    result = {sheet.name: sheet.data() for sheet in found}
    for title in heads & result.keys():
        result[title].stream = partial(_stream_rows, path, title, name)
    return result
