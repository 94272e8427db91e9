"""Section headings inside a table: a row whose one text spans the table.

The seed's Appendix 2 has a row "Nové projekty" above items 45–53. Offices merge such a
row across the table (the reader then gives the same text in every cell) or type it in one
cell and leave the rest empty. It is not an item, and not junk worth a warning; when it
names a year ("Nové projekty 2021") the items below it were added that year.
"""

from __future__ import annotations

import re
from typing import Any

from smartplan.exchange.columns import clean_text, fold

# Rows that sum or explain the table are not headings, however they span it.
_NOT_HEADINGS = ("celkem", "soucet", "suma", "total", "vysvetlivky", "legenda")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def spanning_text(values: tuple[Any, ...]) -> str | None:
    """The one text of a row that holds a single text (in every cell or in one), else None."""
    texts = {clean_text(v) for v in values if v is not None and clean_text(v)}
    if len(texts) != 1:
        return None
    text = texts.pop()
    return None if text.isdigit() else text  # a lone number is an item's key, not a heading


def is_heading(text: str) -> bool:
    """A spanning text that names a section, not a total or legend line."""
    folded = fold(text)
    return not folded.startswith(_NOT_HEADINGS) and not folded[:1].isdigit()


def heading_year(text: str) -> int | None:
    """The year a heading names ("Nové projekty 2021"), or None."""
    found = _YEAR.findall(text)
    return int(found[-1]) if len(found) == 1 else None
