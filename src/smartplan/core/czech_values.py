"""Reading numbers and dates the way Czech spreadsheets and other systems write them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CZECH_DATE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$")


def parse_decimal(text: str) -> Decimal | None:
    """``1 234,5``, ``1234.5``, ``1,35``; thousands spaces allowed. None when unreadable."""
    cleaned = _SPACES.sub("", text.strip())
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        # 1.234,5 (dots group thousands) or 1,234.5 (commas group thousands)
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_date(text: str) -> dt.date | None:
    """``5. 2. 2020``, ``05.02.2020`` or ISO ``2020-02-05``. None when unreadable."""
    stripped = text.strip()
    match = _CZECH_DATE.match(stripped)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(stripped)
    except ValueError:
        return None
