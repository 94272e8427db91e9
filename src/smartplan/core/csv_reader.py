"""CSV files as Czech Excel and other systems write them.

UTF-8 with or without BOM, or Windows-1250; comma, semicolon or tab separated. Rows come
back as dicts keyed by the normalised header (:func:`read_csv`), or as plain records with
their row number (:func:`csv_records`, for reading a CSV as a table).

What is refused, naming the row, before anything is stored: a NUL character anywhere
(binary data, or a UTF-16 file), a file whose rows mix UTF-8 and Windows-1250 (two
exports pasted together; decoding it whole as one of them would store mojibake), more
rows than the limit, and a file larger than :data:`MAX_BYTES`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError, Problem

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 200_000  # the workbook reader's limit; callers may pass another one
BOM = b"\xef\xbb\xbf"


def normalise_header(text: str) -> str:
    """Lower case, no accents, single spaces: "Datum od" and "datum  od" are the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("_", " ").split())


def _refuse(message: str, source: str, row: int | None = None) -> ImportRefusedError:
    return ImportRefusedError([Problem(row, None, None, message)], source=source)


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The file's physical lines with their numbers (a lone CR ends a line, as in Excel)."""
    normalised = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    yield from enumerate(normalised.split(b"\n"), start=1)


def decode(data: bytes, *, source: str = "") -> str:
    """The file's text: UTF-8 (with or without BOM) or Windows-1250, never a mix.

    A file that is not valid UTF-8 as a whole is checked line by line: a line with valid
    multi-byte UTF-8 sequences next to a line that only Windows-1250 reads means two
    encodings in one file, refused naming the first line in the other encoding than the
    file's first non-ASCII line.
    """
    bom = data.startswith(BOM)
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    first: str | None = "utf-8" if bom else None
    for number, line in _lines(body):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            kind = "utf-8"
        except UnicodeDecodeError:
            try:
                line.decode("cp1250")
            except UnicodeDecodeError:
                raise _refuse(
                    _("The row is neither UTF-8 nor Windows-1250 text."), source, number
                ) from None
            kind = "cp1250"
        if first is None:
            first = kind
        elif kind != first:
            raise _refuse(
                _(
                    "The file mixes two encodings: this row is in %(found)s, the rows above "
                    "in %(expected)s. Save the whole file again in one encoding."
                )
                % {"found": _encoding_name(kind), "expected": _encoding_name(first)},
                source,
                number,
            )
    return body.decode("cp1250")


def _encoding_name(kind: str) -> str:
    return "UTF-8" if kind == "utf-8" else "Windows-1250"


def csv_text(path: Path, *, source_name: str | None = None) -> str:
    """The decoded text of a CSV file, lines ending in "\\n"; refused when too big, not
    text (a NUL anywhere, named by its row) or in mixed encodings."""
    source = source_name or path.name
    if path.stat().st_size > MAX_BYTES:
        raise _refuse(_("The file is larger than 200 MB."), source)
    data = path.read_bytes()
    nul = data.find(b"\x00")
    if nul >= 0:
        row = data[:nul].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        raise _refuse(
            _("The row holds a NUL character (binary data); this is not a CSV text file."),
            source,
            row,
        )
    text = decode(data, source=source)
    # A lone carriage return (old Mac files, pasted cells) ends a line, as Excel reads it.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_records(
    text: str, *, source: str, max_rows: int = MAX_ROWS
) -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text (separator sniffed) with their row numbers from 1."""
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
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
    max_rows: int = MAX_ROWS,
) -> Iterator[CsvRow]:
    """Rows of a CSV file; ``required`` (and ``optional``) map each field to the header
    names it may have. ``source_name`` is the file's name as the user gave it.

    Raises ImportRefusedError when the file cannot be read or a required column is missing.
    """
    source = source_name or path.name
    records = csv_records(csv_text(path, source_name=source), source=source, max_rows=max_rows)
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
