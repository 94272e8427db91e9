import datetime as dt
from decimal import Decimal

import pytest

from smartplan.core import czech_format as cf
from smartplan.core.dates import DatePrecision
from smartplan.projects.money import MoneyRange

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), f"1{NBSP}234,5"),
        (Decimal("916.8"), "916,8"),
        (Decimal("1.35"), "1,35"),
        (0, "0"),
        (Decimal("-1500"), f"-1{NBSP}500"),
        (1000000, f"1{NBSP}000{NBSP}000"),
    ],
)
def test_numbers_use_nbsp_groups_and_decimal_comma(value, expected):
    assert cf.format_number(value) == expected


def test_none_formats_as_empty():
    assert cf.format_number(None) == ""
    assert cf.format_money(None) == ""
    assert cf.format_date(None) == ""


def test_money_in_crowns_and_millions():
    assert cf.format_money(Decimal("260000")) == f"260{NBSP}000{NBSP}Kč"
    assert cf.format_money(Decimal("0.00"), decimals=2) == f"0,00{NBSP}Kč"
    assert cf.format_millions(Decimal("916.800")) == f"916,8{NBSP}mil.{NBSP}Kč"
    assert cf.format_millions(Decimal("7.5")) == f"7,5{NBSP}mil.{NBSP}Kč"


def test_dates_follow_czech_typography():
    day = dt.date(2020, 2, 5)
    assert cf.format_date(day) == "5. 2. 2020"
    assert cf.format_date_long(day) == "5. února 2020"
    assert cf.format_month(day) == "únor 2020"
    assert cf.format_month_numeric(dt.date(2020, 11, 1)) == "11/2020"
    assert cf.format_quarter(2021, 1) == "1. čtvrtletí 2021"


def test_quarter_out_of_range_is_refused():
    with pytest.raises(ValueError, match="quarter"):
        cf.format_quarter(2021, 5)


def test_date_with_precision():
    december = dt.date(2020, 12, 1)
    assert cf.format_date_with_precision(december, DatePrecision.MONTH) == "prosinec 2020"
    assert cf.format_date_with_precision(december, DatePrecision.YEAR) == "2020"
    assert cf.format_date_with_precision(december, DatePrecision.DAY) == "1. 12. 2020"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 záznamů"),
        (1, "1 záznam"),
        (2, "2 záznamy"),
        (4, "4 záznamy"),
        (5, "5 záznamů"),
        (22, "22 záznamů"),
        (1250, "1\xa0250 záznamů"),
    ],
)
def test_plural_takes_the_czech_form_of_the_count(count, expected):
    assert cf.plural(count, "záznam", "záznamy", "záznamů") == expected


def test_planned_money_is_one_figure_when_exact_and_a_range_otherwise():
    assert cf.money_range(MoneyRange(Decimal(260000), Decimal(260000))) == f"260{NBSP}000{NBSP}Kč"
    assert (
        cf.money_range(MoneyRange(Decimal(500000), Decimal(800000)))
        == f"500{NBSP}000–800{NBSP}000{NBSP}Kč"
    )
    assert cf.money_range(MoneyRange()) == f"0{NBSP}Kč"
    assert cf.money_range(None) == ""
