"""English formats: ISO-like dates that foreign readers of Czech data understand.

Input accepts what a Czech user types as well (``31. 12. 2022``): the interface language
must not decide whether a Czech date is read. Numbers are read the Czech way by
``core.czech_form_fields.CzechDecimalField``.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # ISO, shown in English inputs
    "%d. %m. %Y",  # 5. 2. 2020, as in Czech
    "%d.%m.%Y",
    "%d. %m. %y",
    "%d.%m.%y",
    "%m/%d/%Y",  # Django's English inputs
    "%m/%d/%y",
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d. %m. %Y %H:%M:%S",
    "%d. %m. %Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d. %m. %Y",
    "%d.%m.%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
