import datetime as dt
from decimal import Decimal

import pytest

from smartplan.core.czech_values import parse_date, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,35", Decimal("1.35")),
        ("1 234,5", Decimal("1234.5")),
        ("1\xa0234,5", Decimal("1234.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("916.8", Decimal("916.8")),
        ("-7", Decimal("-7")),
        ("", None),
        ("Realizováno", None),
        ("cca 1,5 mil. Kč", None),
        ("NaN", None),
        ("Infinity", None),
    ],
)
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5. 2. 2020", dt.date(2020, 2, 5)),
        ("05.02.2020", dt.date(2020, 2, 5)),
        ("2020-02-05", dt.date(2020, 2, 5)),
        (" 25.2.2020 ", dt.date(2020, 2, 25)),
        ("31. 2. 2020", None),
        ("únor 2020", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected
