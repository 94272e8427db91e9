"""CSV files as Czech Excel and other systems write them.

UTF-8 with or without BOM, or Windows-1250; comma, semicolon or tab separated. Rows come
back as dicts keyed by the normalised header, with their row number in the file.
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


def normalise_header(text: str) -> str:
    """Lower case, no accents, single spaces: "Datum od" and "datum  od" are the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("_", " ").split())


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="strict")


@dataclass(frozen=True)
class CsvRow:
    number: int
    cells: dict[str, str]


def read_csv(
    path: Path,
    *,
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]] | None = None,
) -> Iterator[CsvRow]:
    """Rows of a CSV file; ``required`` (and ``optional``) map each field to the header
    names it may have.

    Raises ImportRefusedError when the file cannot be read or a required column is missing.
    """
    if path.stat().st_size > MAX_BYTES:
        raise ImportRefusedError(
            [Problem(None, None, None, _("The file is larger than 200 MB."))], source=path.name
        )
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        raise ImportRefusedError(
            [Problem(None, None, None, _("The file is neither UTF-8 nor Windows-1250 text."))],
            source=path.name,
        ) from None
    if "\x00" in text[:4096]:
        raise ImportRefusedError(
            [Problem(None, None, None, _("This is not a CSV text file."))], source=path.name
        )
    # A lone carriage return (old Mac files, pasted cells) ends a line, as Excel reads it.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ImportRefusedError(
            [Problem(None, None, None, _("The file is empty."))], source=path.name
        )
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
        raise ImportRefusedError(missing, source=path.name)
    for field, aliases in (optional or {}).items():
        found = next((names.index(a) for a in aliases if a in names), None)
        if found is not None:
            columns[field] = found
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            yield CsvRow(
                number,
                {
                    field: cells[index].strip() if index < len(cells) else ""
                    for field, index in columns.items()
                },
            )
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
            source=path.name,
        ) from None
