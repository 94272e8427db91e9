import datetime as dt

from django.utils import formats, translation


def test_django_short_date_format_is_overridden_for_czech():
    with translation.override("cs"):
        assert formats.date_format(dt.date(2020, 2, 5), "SHORT_DATE_FORMAT") == "5. 2. 2020"
        assert formats.date_format(dt.date(2020, 2, 25)) == "25. února 2020"


def test_czech_date_inputs_are_accepted():
    with translation.override("cs"):
        accepted = formats.get_format("DATE_INPUT_FORMATS")
    for text in ("5. 2. 2020", "05.02.2020", "2020-02-05"):
        assert any(_parses(text, pattern) for pattern in accepted), text


def _parses(text: str, pattern: str) -> bool:
    try:
        return dt.datetime.strptime(text, pattern).date() == dt.date(2020, 2, 5)
    except ValueError:
        return False
