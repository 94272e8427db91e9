"""The Czech catalogue is complete and the committed .mo files match their .po sources."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def _messages(catalog):
    def key(message):
        return message.context, message.id if isinstance(message.id, str) else message.id[0]

    def value(message):
        return message.string if isinstance(message.string, str) else tuple(message.string)

    return {key(m): value(m) for m in catalog if m.id}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_compiled_catalogue_matches_source(po_path):
    with po_path.open("rb") as po_file:
        source = read_po(po_file)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run smartplan compilemessages"
    with mo_path.open("rb") as mo_file:
        compiled = read_mo(mo_file)
    expected = {
        key: value
        for key, value in _messages(source).items()
        if value and not (isinstance(value, tuple) and not any(value))
    }
    fuzzy = {(m.context, m.id) for m in source if m.fuzzy}
    expected = {k: v for k, v in expected.items() if k not in fuzzy}
    assert _messages(compiled) == expected


def test_czech_catalogue_is_complete():
    with (LOCALE / "cs/LC_MESSAGES/django.po").open("rb") as po_file:
        catalog = read_po(po_file)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []
    assert catalog.num_plurals == 4
