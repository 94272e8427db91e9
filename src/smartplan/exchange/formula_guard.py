"""Text that a spreadsheet would run as a formula (OWASP "CSV injection"), kept as text.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
run by Excel and LibreOffice as a formula when the file is CSV, and when a user edits the
cell of an XLSX or ODS file. In CSV such text is written with a leading apostrophe (the
spreadsheet convention for "this is text"); in XLSX and ODS it is a string cell marked as
text. Reading undoes exactly what writing did: :func:`text_unguard` of
:func:`text_guard` is the text itself, for every text, so the round trip is identical.

The rule is a bijection on strings: an apostrophe is added to text that starts with a
trigger, and to text that starts with an apostrophe followed by a trigger or another
apostrophe (so that such text, once read back, is not mistaken for guarded text).
"""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r")
MARK = "'"


def text_needs_guard(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula."""
    return bool(text) and text[0] in TRIGGERS


def text_guard(text: str) -> str:
    """The text as written to a CSV cell: a leading apostrophe where one is needed."""
    if not text:
        return text
    if text[0] in TRIGGERS:
        return MARK + text
    if text[0] == MARK and len(text) > 1 and (text[1] in TRIGGERS or text[1] == MARK):
        return MARK + text
    return text


def text_unguard(text: str) -> str:
    """The text a CSV cell written by :func:`text_guard` holds."""
    if len(text) > 1 and text[0] == MARK and (text[1] in TRIGGERS or text[1] == MARK):
        return text[1:]
    return text
