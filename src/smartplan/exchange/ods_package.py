"""An OpenDocument spreadsheet (.ods) written a row at a time, in flat memory.

Why not odfpy: it builds the whole document as Python objects before saving (about 13 kB a
row; a plan 100 times the demo would need above 10 GB). Here the package is a zip written
in order, as ODF 1.2 part 3 wants it: ``mimetype`` first and stored uncompressed (so a
file manager recognises the file from its first bytes), then ``content.xml`` streamed
through lxml's incremental writer (:class:`lxml.etree.xmlfile`) into a zip entry opened for
writing, so each row goes from the caller's iterator to the compressor and is forgotten;
``styles.xml``, ``settings.xml`` (the frozen header rows), ``meta.xml`` and the manifest
last, once everything they mention is known.

What must be in ``content.xml`` before the first table is declared at the start: the cell
styles, a column style for every width a sheet may ask for (:data:`COLUMN_WIDTHS`, widths
are whole characters as the XLSX has them), and the drop-down lists (content validations).

Cells keep their type: numbers are ``float`` cells, dates ``date`` cells, booleans
``boolean`` cells and every text a ``string`` cell with its paragraphs, never a formula
(ODF keeps formulas in an attribute no cell written here has), so a text such as
``=HYPERLINK(…)`` is shown and read back as the text it is.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from smartplan.exchange.workbook_writer import xml_text

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
OF = "urn:oasis:names:tc:opendocument:xmlns:of:1.2"
OOO = "http://openoffice.org/2004/office"
NSMAP = {
    "office": OFFICE,
    "style": STYLE,
    "text": TEXT,
    "table": TABLE,
    "number": NUMBER,
    "fo": FO,
    "config": CONFIG,
    "meta": META,
    "of": OF,
    "ooo": OOO,
}
VERSION = "1.2"

CM_PER_CHARACTER = 0.2  # an XLSX width unit (one character of the default font) in LibreOffice
COLUMN_WIDTHS = range(8, 91)  # characters; a sheet's widths are rounded into this range
HEADER_COLOUR = "#DDE7F3"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


T_TABLE = _q(TABLE, "table")
T_COLUMN = _q(TABLE, "table-column")
T_ROW = _q(TABLE, "table-row")
T_CELL = _q(TABLE, "table-cell")
A_NAME = _q(TABLE, "name")
A_STYLE = _q(TABLE, "style-name")
A_VALIDATION = _q(TABLE, "content-validation-name")
A_COLS_REPEATED = _q(TABLE, "number-columns-repeated")
A_ROWS_REPEATED = _q(TABLE, "number-rows-repeated")
A_VALUE_TYPE = _q(OFFICE, "value-type")
A_VALUE = _q(OFFICE, "value")
A_DATE = _q(OFFICE, "date-value")
A_BOOL = _q(OFFICE, "boolean-value")
X_P = _q(TEXT, "p")
X_S = _q(TEXT, "s")
X_C = _q(TEXT, "c")
X_TAB = _q(TEXT, "tab")

# Cell styles (declared in content.xml's automatic styles).
HEADER = "header"
TITLE = "title"
DATE = "date"

# Spaces ODF would collapse (a run, or one at a paragraph's start or end) and tabs: such a
# text is written with <text:s>/<text:tab>, any other as it is.
_SPECIAL = re.compile(r"  |^ | $|\t")
_PIECES = re.compile(r"( +|\t)")


@dataclass(frozen=True)
class Validation:
    """A drop-down list: the cells naming it offer the values of ``source`` (a range such as
    ``$'Číselníky'.$A$2:.$A$8``) and only warn, silently, about other text."""

    name: str
    source: str
    base: str


def number_text(value: int | float | Decimal) -> str:
    """The number exactly as ODF's office:value wants it (a point, no exponent for decimals)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value) if isinstance(value, float) else str(value)


class OdsPackage:
    """An .ods written in one pass to ``target`` (a path or a binary file, which need not be
    seekable). Use as a context manager: sheets are opened with :meth:`sheet` in order,
    rows appended with :meth:`row`; leaving the ``with`` block writes the remaining parts.
    The validations must be known when the package is opened (they precede the tables)."""

    def __init__(self, target: Any, validations: Sequence[Validation] = ()) -> None:
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self._validations = validations
        self._frozen: dict[str, int] = {}  # sheet name: rows kept in view when scrolling
        self._stack: list[Any] = []

    # --- the package ---------------------------------------------------------------------

    def __enter__(self) -> OdsPackage:
        info = zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        self._zip.writestr(info, MIMETYPE)
        self._out = self._zip.open("content.xml", "w", force_zip64=True)
        self._xf_context = etree.xmlfile(self._out, encoding="UTF-8")
        self._xf = self._xf_context.__enter__()
        self._xf.write_declaration()
        self._open(_q(OFFICE, "document-content"), {_q(OFFICE, "version"): VERSION}, NSMAP)
        self._xf.write(self._automatic_styles())
        self._open(_q(OFFICE, "body"))
        self._open(_q(OFFICE, "spreadsheet"))
        if self._validations:
            self._xf.write(self._content_validations())
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        try:
            if kind is None:
                while self._stack:
                    self._close()
                self._xf_context.__exit__(None, None, None)
                self._out.close()
                self._part("styles.xml", self._styles())
                self._part("settings.xml", self._settings())
                self._part("meta.xml", self._meta())
                self._part("META-INF/manifest.xml", self._manifest())
            else:
                self._out.close()
        finally:
            self._zip.close()

    def _open(self, tag: str, attributes: dict[str, str] | None = None, nsmap: Any = None) -> None:
        context = self._xf.element(tag, attributes or {}, nsmap=nsmap)
        context.__enter__()
        self._stack.append(context)

    def _close(self) -> None:
        self._stack.pop().__exit__(None, None, None)

    def _part(self, name: str, root: Any) -> None:
        self._zip.writestr(
            name, etree.tostring(root, xml_declaration=True, encoding="UTF-8"), zipfile.ZIP_DEFLATED
        )

    # --- sheets and rows -----------------------------------------------------------------

    @contextmanager
    def sheet(
        self, name: str, widths: Sequence[float], *, hidden: bool = False, frozen: int = 0
    ) -> Iterator[None]:
        """A sheet with columns of these widths (in characters, as the XLSX has them) and its
        first ``frozen`` rows kept in view (the XLSX's frozen header); rows go in the block."""
        if frozen:
            self._frozen[name] = frozen
        attributes = {A_NAME: name}
        if hidden:
            attributes[A_STYLE] = "hidden"
        with self._xf.element(T_TABLE, attributes):
            for characters in widths:
                _leaf(self._xf, T_COLUMN, {A_STYLE: width_style(characters)})
            yield

    def row(
        self,
        values: Iterable[Any],
        *,
        cell_style: str | None = None,
        validations: dict[int, str] | None = None,
    ) -> None:
        """A row of cells; ``validations`` names the drop-down list of a column (0-based).
        Runs of empty cells are one repeated cell, a row's trailing empty cells left out."""
        xf = self._xf
        element = xf.element
        lists = validations or {}
        empty = 0  # empty cells not yet written
        with element(T_ROW):
            for index, value in enumerate(values):
                listed = index in lists
                if (value is None or value == "") and cell_style is None and not listed:
                    empty += 1
                    continue
                if empty:
                    _leaf(xf, T_CELL, {A_COLS_REPEATED: str(empty)} if empty > 1 else {})
                    empty = 0
                attributes: dict[str, str] = {}
                if listed:
                    attributes[A_VALIDATION] = lists[index]
                self._cell(value, cell_style, attributes)

    def _cell(self, value: Any, cell_style: str | None, attributes: dict[str, str]) -> None:
        xf = self._xf
        if cell_style is not None:
            attributes[A_STYLE] = cell_style
        if value is None or value == "":
            _leaf(xf, T_CELL, attributes)
            return
        if type(value) is str:
            attributes[A_VALUE_TYPE] = "string"
            with xf.element(T_CELL, attributes):
                # One paragraph per line, as LibreOffice writes a cell of several lines.
                for line in xml_text(value).split("\n"):
                    _paragraph(xf, line)
            return
        if isinstance(value, bool):
            attributes[A_VALUE_TYPE] = "boolean"
            attributes[A_BOOL] = "true" if value else "false"
            shown = "PRAVDA" if value else "NEPRAVDA"
        elif isinstance(value, int | float | Decimal):
            shown = number_text(value)
            attributes[A_VALUE_TYPE] = "float"
            attributes[A_VALUE] = shown
            shown = shown.replace(".", ",")
        elif isinstance(value, dt.date):
            if cell_style is None:
                attributes[A_STYLE] = DATE
            attributes[A_VALUE_TYPE] = "date"
            attributes[A_DATE] = value.isoformat()
            shown = f"{value.day}. {value.month}. {value.year}"
        else:
            self._cell(str(value), cell_style, attributes)
            return
        with xf.element(T_CELL, attributes), xf.element(X_P):
            xf.write(shown)

    def empty_rows(self, count: int, width: int, validations: dict[int, str]) -> None:
        """``count`` empty rows whose list columns still offer their drop-down list, as the
        XLSX offers it 500 rows below the data: room to add rows in the spreadsheet."""
        if not validations:
            return
        with self._xf.element(T_ROW, {A_ROWS_REPEATED: str(count)}):
            for index in range(width):
                listed = {A_VALIDATION: validations[index]} if index in validations else {}
                _leaf(self._xf, T_CELL, listed)

    # --- the fixed parts -------------------------------------------------------------------

    def _automatic_styles(self) -> Any:
        styles = etree.Element(_q(OFFICE, "automatic-styles"), nsmap=NSMAP)
        date = etree.SubElement(styles, _q(NUMBER, "date-style"), {_q(STYLE, "name"): "date-cz"})
        etree.SubElement(date, _q(NUMBER, "day"))
        etree.SubElement(date, _q(NUMBER, "text")).text = ". "
        etree.SubElement(date, _q(NUMBER, "month"))
        etree.SubElement(date, _q(NUMBER, "text")).text = ". "
        etree.SubElement(date, _q(NUMBER, "year"), {_q(NUMBER, "style"): "long"})
        _style(styles, DATE, "table-cell", {_q(STYLE, "data-style-name"): "date-cz"})
        header = _style(styles, HEADER, "table-cell")
        etree.SubElement(header, _q(STYLE, "text-properties"), {_q(FO, "font-weight"): "bold"})
        etree.SubElement(
            header,
            _q(STYLE, "table-cell-properties"),
            {_q(FO, "background-color"): HEADER_COLOUR, _q(FO, "wrap-option"): "wrap"},
        )
        title = _style(styles, TITLE, "table-cell")
        etree.SubElement(
            title,
            _q(STYLE, "text-properties"),
            {_q(FO, "font-weight"): "bold", _q(FO, "font-size"): "14pt"},
        )
        hidden = _style(styles, "hidden", "table")
        etree.SubElement(hidden, _q(STYLE, "table-properties"), {_q(TABLE, "display"): "false"})
        for characters in COLUMN_WIDTHS:
            column = _style(styles, width_style(characters), "table-column")
            etree.SubElement(
                column,
                _q(STYLE, "table-column-properties"),
                {_q(STYLE, "column-width"): f"{characters * CM_PER_CHARACTER:.2f}cm"},
            )
        return styles

    def _content_validations(self) -> Any:
        found = etree.Element(_q(TABLE, "content-validations"), nsmap=NSMAP)
        for validation in self._validations:
            element = etree.SubElement(
                found,
                _q(TABLE, "content-validation"),
                {
                    A_NAME: validation.name,
                    _q(TABLE, "condition"): f"of:cell-content-is-in-list([{validation.source}])",
                    _q(TABLE, "allow-empty-cell"): "true",
                    _q(TABLE, "display-list"): "unsorted",
                    _q(TABLE, "base-cell-address"): validation.base,
                },
            )
            etree.SubElement(
                element,
                _q(TABLE, "error-message"),
                {_q(TABLE, "display"): "false", _q(TABLE, "message-type"): "warning"},
            )
        return found

    @staticmethod
    def _styles() -> Any:
        root = etree.Element(
            _q(OFFICE, "document-styles"), {_q(OFFICE, "version"): VERSION}, nsmap=NSMAP
        )
        etree.SubElement(root, _q(OFFICE, "styles"))
        etree.SubElement(root, _q(OFFICE, "automatic-styles"))
        return root

    def _settings(self) -> Any:
        """Frozen header rows, as LibreOffice keeps them: a view's per-sheet split."""
        root = etree.Element(
            _q(OFFICE, "document-settings"), {_q(OFFICE, "version"): VERSION}, nsmap=NSMAP
        )
        settings = etree.SubElement(root, _q(OFFICE, "settings"))
        if not self._frozen:
            return root
        view_settings = _config(settings, "config-item-set", "ooo:view-settings")
        view = _config(_config(view_settings, "config-item-map-indexed", "Views"), "entry")
        _item(view, "ViewId", "string", "view1")
        tables = _config(view, "config-item-map-named", "Tables")
        for name, rows in self._frozen.items():
            entry = _config(tables, "entry", name)
            for key, kind, value in (
                ("HorizontalSplitMode", "short", 0),
                ("VerticalSplitMode", "short", 2),
                ("HorizontalSplitPosition", "int", 0),
                ("VerticalSplitPosition", "int", rows),
                ("ActiveSplitRange", "short", 2),
                ("PositionLeft", "int", 0),
                ("PositionRight", "int", 0),
                ("PositionTop", "int", 0),
                ("PositionBottom", "int", rows),
            ):
                _item(entry, key, kind, str(value))
        return root

    @staticmethod
    def _meta() -> Any:
        root = etree.Element(
            _q(OFFICE, "document-meta"), {_q(OFFICE, "version"): VERSION}, nsmap=NSMAP
        )
        meta = etree.SubElement(root, _q(OFFICE, "meta"))
        etree.SubElement(meta, _q(META, "generator")).text = "smartplan"
        created = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()
        etree.SubElement(meta, _q(META, "creation-date")).text = created
        return root

    @staticmethod
    def _manifest() -> Any:
        root = etree.Element(
            _q(MANIFEST, "manifest"),
            {_q(MANIFEST, "version"): VERSION},
            nsmap={"manifest": MANIFEST},
        )
        for path, media_type in (
            ("/", MIMETYPE),
            ("content.xml", "text/xml"),
            ("styles.xml", "text/xml"),
            ("settings.xml", "text/xml"),
            ("meta.xml", "text/xml"),
        ):
            attributes = {_q(MANIFEST, "full-path"): path, _q(MANIFEST, "media-type"): media_type}
            if path == "/":
                attributes[_q(MANIFEST, "version")] = VERSION
            etree.SubElement(root, _q(MANIFEST, "file-entry"), attributes)
        return root


def width_style(characters: float) -> str:
    """The column style of a column ``characters`` wide (declared for every whole width of
    :data:`COLUMN_WIDTHS`; others are rounded into it)."""
    whole = min(max(round(characters), COLUMN_WIDTHS.start), COLUMN_WIDTHS.stop - 1)
    return f"co{whole}"


def _style(parent: Any, name: str, family: str, attributes: dict[str, str] | None = None) -> Any:
    return etree.SubElement(
        parent,
        _q(STYLE, "style"),
        {_q(STYLE, "name"): name, _q(STYLE, "family"): family, **(attributes or {})},
    )


def _config(parent: Any, kind: str, name: str | None = None) -> Any:
    tag = _q(CONFIG, "config-item-map-entry" if kind == "entry" else kind)
    return etree.SubElement(parent, tag, {_q(CONFIG, "name"): name} if name is not None else {})


def _item(parent: Any, name: str, kind: str, value: str) -> None:
    item = etree.SubElement(
        parent, _q(CONFIG, "config-item"), {_q(CONFIG, "name"): name, _q(CONFIG, "type"): kind}
    )
    item.text = value


def _leaf(xf: Any, tag: str, attributes: dict[str, str]) -> None:
    """An element without content, in the namespaces already declared (an element given to
    ``xf.write`` would declare them again)."""
    with xf.element(tag, attributes):
        pass


def _paragraph(xf: Any, line: str) -> None:
    """One paragraph holding ``line`` with every space and tab kept: ODF collapses a run of
    spaces and drops one at a paragraph's start or end, so those go in <text:s>."""
    with xf.element(X_P):
        if not _SPECIAL.search(line):
            if line:
                xf.write(line)
            return
        pieces = [piece for piece in _PIECES.split(line) if piece]
        for position, piece in enumerate(pieces):
            if piece == "\t":
                _leaf(xf, X_TAB, {})
            elif piece[0] != " ":
                xf.write(piece)
            else:
                edge = position == 0 or position == len(pieces) - 1 or pieces[position - 1] == "\t"
                literal = "" if edge else " "
                count = len(piece) - len(literal)
                if literal:
                    xf.write(literal)
                if count:
                    _leaf(xf, X_S, {X_C: str(count)} if count > 1 else {})
