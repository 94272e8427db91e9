"""Czech formats that replace Django's defaults where those are wrong for us.

Django's cs SHORT_DATE_FORMAT prints 05.02.2020; Czech typography (ČSN 01 6910) writes
5. 2. 2020 with spaces and without leading zeros.
"""

DATE_FORMAT = "j. E Y"
SHORT_DATE_FORMAT = "j. n. Y"
DATETIME_FORMAT = "j. E Y G:i"
SHORT_DATETIME_FORMAT = "j. n. Y G:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
TIME_FORMAT = "G:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = [
    "%d. %m. %Y",  # 5. 2. 2020
    "%d.%m.%Y",  # 05.02.2020
    "%d. %m. %y",
    "%d.%m.%y",
    "%Y-%m-%d",  # ISO
]
DATETIME_INPUT_FORMATS = [
    "%d. %m. %Y %H:%M:%S",
    "%d. %m. %Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d. %m. %Y",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
