"""The guard against formula injection is undone exactly by reading."""

from hypothesis import given
from hypothesis import strategies as st

from smartplan.exchange.formula_guard import text_guard, text_needs_guard, text_unguard


@given(st.text())
def test_unguard_undoes_guard(text):
    assert text_unguard(text_guard(text)) == text


@given(st.text())
def test_guarded_text_never_starts_with_a_trigger(text):
    assert not text_needs_guard(text_guard(text))


def test_examples():
    assert text_guard('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert text_guard("-5 %") == "'-5 %"
    assert text_guard("@SUM(A1)") == "'@SUM(A1)"
    assert text_guard("\tx") == "'\tx"
    assert text_guard("'=x") == "''=x"
    assert text_guard("'ahoj'") == "'ahoj'"
    assert text_guard("Ahoj") == "Ahoj"
    assert text_unguard("'ahoj'") == "'ahoj'"
    assert text_unguard("''=x") == "'=x"
