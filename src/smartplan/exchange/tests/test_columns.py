import datetime as dt
from decimal import Decimal

import pytest

from smartplan.exchange.columns import CellError, Column, fold


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  Životní   PROSTŘEDÍ ") == fold("zivotni prostredi")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("int", "4", 4),
        ("int", 4.0, 4),
        ("decimal", "1,35", Decimal("1.35")),
        ("decimal", 7.5, Decimal("7.5")),
        ("date", 43866, dt.date(2020, 2, 5)),  # an Excel date serial
        ("date", dt.datetime(2020, 2, 5, 0, 0), dt.date(2020, 2, 5)),
        ("date", "5. 2. 2020", dt.date(2020, 2, 5)),
        ("bool", "Ano", True),
        ("bool", "ne", False),
        ("text", "  Odbor   dopravy ", "Odbor dopravy"),
        ("text", 2020.0, "2020"),
        ("refs", "1, 2;3", ["1", "2", "3"]),
    ],
)
def test_parse(kind, raw, expected):
    assert Column("X", "x", kind).parse(raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("int", "4,5"),
        ("int", "čtyři"),
        ("decimal", "abc"),
        ("date", "únor"),
        ("date", -5),
        ("bool", "možná"),
    ],
)
def test_unreadable_cells_raise_cell_error(kind, raw):
    with pytest.raises(CellError):
        Column("X", "x", kind).parse(raw)


def test_choice_accepts_label_or_value():
    column = Column(
        "Druh", "kind", "choice", choices=(("number", "číslo"), ("milestone", "milník"))
    )
    assert column.parse("Milník") == "milestone"
    assert column.parse("number") == "number"
    with pytest.raises(CellError, match="číslo, milník"):
        column.parse("procento")
