"""Units named in a table's headers ("Náklady (tis. Kč)", "Doba v měsících") and the
conversion of a column's values to the unit its register keeps.

Money is kept in Kč (activities, costs) or in millions of Kč (the stack); durations in
whole years. A header says its unit in words users write; :func:`unit_in_header` finds
it, :func:`unit_convert` turns a value into the register's unit exactly (decimals, never
floats), and says when the result cannot be held as the register's number (18 months is
1,5 years, not a whole number of years).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smartplan.core.czech_values import parse_decimal
from smartplan.exchange.columns import clean_text, fold


@dataclass(frozen=True)
class Unit:
    """A unit: its code (as saved in mappings), its Czech label, its dimension and size."""

    code: str
    label: str
    dimension: str  # money | duration
    size: Decimal  # in Kč, or in months


UNITS: tuple[Unit, ...] = (
    Unit("kc", "Kč", "money", Decimal(1)),
    Unit("tis_kc", "tis. Kč", "money", Decimal(1_000)),
    Unit("mil_kc", "mil. Kč", "money", Decimal(1_000_000)),
    Unit("mld_kc", "mld. Kč", "money", Decimal(1_000_000_000)),
    Unit("months", "měsíce", "duration", Decimal(1)),
    Unit("years", "roky", "duration", Decimal(12)),
)
UNIT_BY_CODE = {unit.code: unit for unit in UNITS}

# Words of a header that name a unit; the first that matches wins (millions before "Kč").
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bmld\b|\bmiliard"), "mld_kc"),
    (re.compile(r"\bmil\b|\bmilion|\bmio\b|\bmil kc\b"), "mil_kc"),
    (re.compile(r"\btis\b|\btisic|\bthousand"), "tis_kc"),
    (re.compile(r"\bkc\b|\bczk\b|\bkorun"), "kc"),
    (re.compile(r"\bmesic|\bmes\b|\bmonth"), "months"),
    (re.compile(r"\brok\b|\broky\b|\broku\b|\blet\b|\byears?\b"), "years"),
)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def unit_in_header(header: str) -> Unit | None:
    """The unit a header names ("Finance (tis. Kč)" → tis. Kč), or None."""
    words = _words(header)
    for pattern, code in _PATTERNS:
        if pattern.search(words):
            return UNIT_BY_CODE[code]
    return None


def unit_find(text: Any) -> Unit | None:
    """A unit by its code or its label as a user writes it (in a mapping file or form)."""
    if text is None or not clean_text(text):
        return None
    code = clean_text(text)
    if code in UNIT_BY_CODE:
        return UNIT_BY_CODE[code]
    return unit_in_header(code)


def unit_words_strip(header: str) -> str:
    """The header without its unit and brackets ("Finance (mil. Kč)" → "finance")."""
    words = _words(re.sub(r"\(.*?\)|\[.*?\]", " ", header))
    for pattern, _code in _PATTERNS:
        words = pattern.sub(" ", words)
    words = re.sub(r"\b(v|ve|in)\b", " ", words)
    return " ".join(words.split())


def unit_convert(raw: Any, *, source: Unit, target: Unit, whole: bool) -> Any:
    """``raw`` (a number, or text holding one) in ``target`` units.

    Returns the converted number (a Decimal, or an int when ``whole``), or ``raw``
    unchanged when it is not a number (the register keeps such text as the column's note).
    A result that must be ``whole`` and is not stays as it was written, with its unit
    ("18 měsíců" is kept as text rather than rounded to a year).
    """
    if source.dimension != target.dimension or source == target:
        return raw
    if isinstance(raw, bool) or raw is None:
        return raw
    if isinstance(raw, int | Decimal):
        number: Decimal | None = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        number = parse_decimal(clean_text(raw))
    if number is None:
        return raw
    converted = number * source.size / target.size
    if whole:
        if converted != converted.to_integral_value():
            return f"{clean_text(raw)} {_czech_plural(number, source)}"
        return int(converted)
    return converted


# The stored text is Czech whatever the user's language: "1 měsíc", "3 měsíce", "18 měsíců".
_PLURALS = {
    "months": ("měsíc", "měsíce", "měsíců", "měsíce"),
    "years": ("rok", "roky", "let", "roku"),
}


def _czech_plural(number: Decimal, unit: Unit) -> str:
    forms = _PLURALS.get(unit.code)
    if forms is None:
        return unit.label
    if number != number.to_integral_value():
        return forms[3]
    whole = abs(int(number))
    return forms[0] if whole == 1 else forms[1] if 2 <= whole <= 4 else forms[2]
