"""CSV files as Czech Excel and other systems write them.

UTF-8 with or without BOM, or Windows-1250; comma, semicolon or tab separated. Rows come
back as dicts keyed by the normalised header (:func:`read_csv`), or as plain records with
their row number (:func:`csv_records`, for reading a CSV as a table).

What is refused, naming the row, before anything is stored: a NUL character anywhere
(binary data, or a UTF-16 file), a file whose rows mix UTF-8 and Windows-1250 (two
exports pasted together; decoding it whole as one of them would store mojibake), more
rows than the limit, and a file larger than :data:`MAX_BYTES`.

A file is never held whole: its bytes are scanned once in chunks of a megabyte (NUL
characters, the encoding; :func:`csv_open`), then its rows are read from the file one at a
time, so a million measurements cost the memory of one row.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError, Problem

MAX_BYTES = 200 * 1024 * 1024
# The workbook reader's limit (settings.py: never below what smartplan writes); callers may
# pass another one.
MAX_ROWS: int = settings.IMPORT_MAX_ROWS
BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 20  # bytes scanned at a time
SAMPLE = 65536  # characters the separator is guessed from
DELIMITERS = (";", ",", "\t")  # Czech Excel's first


def normalise_header(text: str) -> str:
    """Lower case, no accents, single spaces: "Datum od" and "datum  od" are the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("_", " ").split())


def _refuse(message: str, source: str, row: int | None = None) -> ImportRefusedError:
    return ImportRefusedError([Problem(row, None, None, message)], source=source)


def _lines_of(text: str) -> io.StringIO:
    """Lines for the csv module: CRLF, LF and a lone CR (old Mac files) end a line, as
    Excel reads them, and a line break inside a quoted cell is kept as it was written."""
    return io.StringIO(text, newline="")


def _delimiter(text: str) -> str:
    """The separator of CSV text (see :func:`_delimiter_of_sample`)."""
    return _delimiter_of_sample(text[:SAMPLE], cut=len(text) > SAMPLE)


def _delimiter_of(lines: IO[str]) -> tuple[str, Iterator[str]]:
    """The separator of an open text file, from its first lines (about :data:`SAMPLE`
    characters), and all the file's lines, those read for it included."""
    sample: list[str] = []
    size = 0
    for line in lines:
        sample.append(line)
        size += len(line)
        if size > SAMPLE:
            break
    cut = size > SAMPLE
    whole = sample[:-1] if cut and len(sample) > 1 else sample
    return _delimiter_of_sample("".join(whole), cut=cut), itertools.chain(sample, lines)


def _delimiter_of_sample(sample: str, *, cut: bool) -> str:
    """The separator: the one that splits the first rows into the same number (> 1) of
    cells, else the one giving the header the most cells; semicolon on a tie. ``cut``:
    the sample is the start of a longer text.

    Only the separator is guessed: the quote is always ``"``, as every office writes it
    (a guessing sniffer takes apostrophes, which guard formula-like text, for quotes).
    """
    if cut and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best: tuple[bool, int, int] = (False, 0, 0)
    chosen = DELIMITERS[0]
    for rank, delimiter in enumerate(DELIMITERS):
        try:
            reader = csv.reader(_lines_of(sample), csv.excel, delimiter=delimiter)
            widths = [len(cells) for cells in itertools.islice(reader, 50) if cells]
        except csv.Error:
            continue
        if cut and len(widths) > 1:
            widths.pop()  # the sample may end inside a quoted cell
        if not widths:
            continue
        score = (widths[0] > 1 and len(set(widths)) == 1, widths[0], -rank)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def _row_of_line(path: Path, line: int) -> int:
    """The CSV row holding the file's physical ``line`` (the file read as it goes): after a
    quoted cell with line breaks the two differ, and users see rows (Excel's row numbers).
    Only for refusals."""
    # Quotes, separators and line ends are ASCII in both encodings: Latin-1 reads any bytes.
    with path.open(encoding="latin-1", newline="") as handle:
        delimiter, lines = _delimiter_of(handle)
        return _row_in(lines, delimiter, line)


def _row_in(lines: Iterator[str], delimiter: str, line: int) -> int:
    reader = csv.reader(lines, csv.excel, delimiter=delimiter)
    try:
        for number, _cells in enumerate(reader, start=1):
            if reader.line_num >= line:
                return number
    except csv.Error:
        pass
    return line


# Where a multi-byte UTF-8 sequence may begin (a lead byte, then a continuation byte; one
# pattern, fast on large files). Windows-1250 text may hold one by chance ("Čš"), but a
# line that is valid UTF-8 as a whole and not ASCII is UTF-8.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _line_at(body: bytes, offset: int) -> int:
    """The number of the physical line holding byte ``offset`` (CRLF, LF or CR end one)."""
    prefix = body[:offset]
    return prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1


def _first_utf8_line(body: bytes) -> int | None:
    """The first line that is non-ASCII and valid UTF-8 as a whole, if any."""
    checked: set[int] = set()
    for match in _UTF8_SEQUENCE.finditer(body):
        begin = max(body.rfind(b"\n", 0, match.start()), body.rfind(b"\r", 0, match.start())) + 1
        if begin in checked:
            continue
        checked.add(begin)
        ends = [i for i in (body.find(b"\n", begin), body.find(b"\r", begin)) if i >= 0]
        line = body[begin : min(ends) if ends else len(body)]
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return _line_at(body, begin)
    return None


def _encoding_name(kind: str) -> str:
    return "UTF-8" if kind == "utf-8" else "Windows-1250"


def _chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes in chunks of about :data:`CHUNK` that end at a line end (CRLF is
    never split), so each chunk's lines are whole and no character is cut in two."""
    with path.open("rb") as handle:
        buffer = b""
        while block := handle.read(CHUNK):
            buffer += block
            # A CR as the last byte may be the first half of a CRLF: not a place to cut.
            end = max(buffer.rfind(b"\n"), buffer.rfind(b"\r", 0, len(buffer) - 1))
            if end >= 0:
                yield buffer[: end + 1]
                buffer = buffer[end + 1 :]
        if buffer:
            yield buffer


def _lines_in(chunk: bytes) -> int:
    return chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")


def _encoding_scan(path: Path, source: str) -> tuple[str, bool]:
    """The file's encoding and whether it starts with a BOM, its bytes read in chunks.

    UTF-8 (with or without BOM) or Windows-1250, never a mix: a file that is not valid
    UTF-8 as a whole is Windows-1250, unless one of its lines is non-ASCII and valid UTF-8:
    then two encodings are mixed in one file, refused naming the first row in the other
    encoding than the file's first non-ASCII row (or its BOM). A NUL character (binary
    data, UTF-16) and bytes that are neither encoding are refused, naming their row.
    """
    bom = False
    line_base = 0  # physical lines before the chunk
    first_cp1250: int | None = None  # the first line that is not UTF-8
    cp1250_error: int | None = None  # the first line that is not Windows-1250 either
    first_utf8: int | None = None  # the first non-ASCII line that is UTF-8 as a whole
    for index, chunk in enumerate(_chunks(path)):
        if index == 0 and chunk.startswith(BOM):
            bom, chunk = True, chunk[3:]
        nul = chunk.find(b"\x00")
        if nul >= 0:
            raise _refuse(
                _("The row holds a NUL character (binary data); this is not a CSV text file."),
                source,
                _row_of_line(path, line_base + _line_at(chunk, nul)),
            )
        if chunk.isascii():
            line_base += _lines_in(chunk)
            continue
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            if first_cp1250 is None:
                first_cp1250 = line_base + _line_at(chunk, error.start)
            if cp1250_error is None:
                try:
                    chunk.decode("cp1250")
                except UnicodeDecodeError as wrong:
                    cp1250_error = line_base + _line_at(chunk, wrong.start)
        if first_utf8 is None:
            found = _first_utf8_line(chunk)
            first_utf8 = None if found is None else line_base + found
        line_base += _lines_in(chunk)
    if first_cp1250 is None:
        return "utf-8", bom
    if first_utf8 is None:
        if cp1250_error is not None:
            raise _refuse(
                _("The row is neither UTF-8 nor Windows-1250 text."),
                source,
                _row_of_line(path, cp1250_error),
            )
        return "cp1250", bom
    utf8_first = bom or first_utf8 < first_cp1250
    line = first_cp1250 if utf8_first else first_utf8
    found_kind, expected = ("cp1250", "utf-8") if utf8_first else ("utf-8", "cp1250")
    raise _refuse(
        _(
            "The file mixes two encodings: this row is in %(found)s, the rows above "
            "in %(expected)s. Save the whole file again in one encoding."
        )
        % {"found": _encoding_name(found_kind), "expected": _encoding_name(expected)},
        source,
        _row_of_line(path, line),
    )


def csv_open(
    path: Path, *, source_name: str | None = None, max_bytes: int | None = None
) -> IO[str]:
    """The CSV file opened as text in its encoding (lines as :func:`_lines_of` ends them);
    refused when larger than ``max_bytes`` (by default :data:`MAX_BYTES`), not text (a NUL
    anywhere, named by its row) or in mixed encodings. The caller closes it."""
    source = source_name or path.name
    limit = max_bytes or MAX_BYTES
    if path.stat().st_size > limit:
        raise _refuse(
            _("The file is larger than %(limit)s MB.") % {"limit": limit // 2**20}, source
        )
    encoding, bom = _encoding_scan(path, source)
    handle = path.open("rb")
    if bom:
        handle.read(len(BOM))
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def csv_text(path: Path, *, source_name: str | None = None, max_bytes: int | None = None) -> str:
    """The decoded text of a CSV file, refused as :func:`csv_open` refuses it."""
    with csv_open(path, source_name=source_name, max_bytes=max_bytes) as lines:
        return lines.read()


def csv_records(
    text: str | IO[str], *, source: str, max_rows: int | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text, or of a file :func:`csv_open` opened (read as they are
    used), with their row numbers from 1 (separator sniffed); more than ``max_rows`` (by
    default :data:`MAX_ROWS`) are refused."""
    max_rows = max_rows or MAX_ROWS
    lines: Iterator[str]
    if isinstance(text, str):
        lines, delimiter = _lines_of(text), _delimiter(text)
    else:
        delimiter, lines = _delimiter_of(text)
    reader = csv.reader(lines, csv.excel, delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number > max_rows:
                raise _refuse(
                    _("The file has more than %(limit)s rows; split it.")
                    % {"limit": f"{max_rows:,}".replace(",", "\xa0")},
                    source,
                )
            yield number, cells
    except csv.Error as exc:
        raise ImportRefusedError(
            [
                Problem(
                    number + 1,
                    None,
                    None,
                    _("the line cannot be read as CSV (%(detail)s)") % {"detail": exc},
                )
            ],
            source=source,
        ) from None


@dataclass(frozen=True)
class CsvRow:
    number: int
    cells: dict[str, str]


def read_csv(
    path: Path,
    *,
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]] | None = None,
    source_name: str | None = None,
    max_rows: int | None = None,
) -> Generator[CsvRow, None, None]:
    """Rows of a CSV file; ``required`` (and ``optional``) map each field to the header
    names it may have. ``source_name`` is the file's name as the user gave it;
    ``max_rows`` (by default :data:`MAX_ROWS`) bounds the rows read.

    Raises ImportRefusedError when the file cannot be read or a required column is missing.
    The file is read a row at a time, as the rows are used.
    """
    source = source_name or path.name
    with csv_open(path, source_name=source) as lines:
        yield from _rows(
            csv_records(lines, source=source, max_rows=max_rows), required, optional, source
        )


def _rows(
    records: Iterator[tuple[int, list[str]]],
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]] | None,
    source: str,
) -> Iterator[CsvRow]:
    header = next(records, (0, []))[1]
    if not header:
        raise _refuse(_("The file is empty."), source)
    names = [normalise_header(cell) for cell in header]
    columns: dict[str, int] = {}
    missing = []
    for field, aliases in required.items():
        found = next((names.index(a) for a in aliases if a in names), None)
        if found is None:
            missing.append(
                Problem(
                    1,
                    None,
                    None,
                    _("The column “%(column)s” is missing (the header has: %(header)s).")
                    % {"column": aliases[0], "header": ", ".join(header)},
                )
            )
        else:
            columns[field] = found
    if missing:
        raise ImportRefusedError(missing, source=source)
    for field, aliases in (optional or {}).items():
        found = next((names.index(a) for a in aliases if a in names), None)
        if found is not None:
            columns[field] = found
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        yield CsvRow(
            number,
            {
                field: cells[index].strip() if index < len(cells) else ""
                for field, index in columns.items()
            },
        )
