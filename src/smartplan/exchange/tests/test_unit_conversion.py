"""Units named in headers, and values converted exactly to the register's unit."""

from decimal import Decimal

import pytest

from smartplan.exchange.unit_conversion import UNIT_BY_CODE, unit_convert, unit_in_header

MIL, TIS, KC, MLD = (UNIT_BY_CODE[c] for c in ("mil_kc", "tis_kc", "kc", "mld_kc"))
MONTHS, YEARS = UNIT_BY_CODE["months"], UNIT_BY_CODE["years"]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Finance (mil. Kč)", "mil_kc"),
        ("Náklady v tis. Kč", "tis_kc"),
        ("ROZPOČET [KČ]", "kc"),
        ("Cena (mld Kč)", "mld_kc"),
        ("Doba realizace (měsíce)", "months"),
        ("Délka v měsících", "months"),
        ("Doba realizace (roky)", "years"),
        ("Popis", None),
        ("Stav", None),
    ],
)
def test_units_named_in_headers(header, code):
    unit = unit_in_header(header)
    assert (unit.code if unit else None) == code


def test_money_converts_exactly():
    assert unit_convert("1 100", source=TIS, target=MIL, whole=False) == Decimal("1.1")
    assert unit_convert(250, source=TIS, target=KC, whole=False) == Decimal("250000")
    assert unit_convert(1.5, source=MLD, target=MIL, whole=False) == Decimal("1500")
    assert unit_convert("cca 5", source=TIS, target=MIL, whole=False) == "cca 5"  # kept as text


def test_durations_whole_years_or_kept_as_text():
    assert unit_convert(24, source=MONTHS, target=YEARS, whole=True) == 2
    assert unit_convert("18", source=MONTHS, target=YEARS, whole=True) == "18 měsíců"
    assert unit_convert("3", source=MONTHS, target=YEARS, whole=True) == "3 měsíce"
    assert unit_convert("1", source=MONTHS, target=YEARS, whole=True) == "1 měsíc"
    assert unit_convert("1,5", source=MONTHS, target=YEARS, whole=True) == "1,5 měsíce"
    assert unit_convert(3, source=YEARS, target=YEARS, whole=True) == 3
