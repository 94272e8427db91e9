"""English formats: ISO-like dates that foreign readers of Czech data understand."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
