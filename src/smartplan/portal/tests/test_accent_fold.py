"""Accent- and case-insensitive search: the Python rule and the SQL one agree."""

import pytest

from smartplan.portal.accent_fold import TRANSLATE_FROM, TRANSLATE_TO, fold, folded_search
from smartplan.stack.models import StackItem


def test_fold_drops_czech_diacritics_and_case():
    assert fold("Řízení ŽLUŤOUČKÝ kůň") == "rizeni zlutoucky kun"
    assert fold("") == ""
    assert fold(None) == ""


def test_translate_table_covers_czech_letters_one_to_one():
    assert len(TRANSLATE_FROM) == len(TRANSLATE_TO)
    for letter in "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ":
        assert letter in TRANSLATE_FROM
        assert TRANSLATE_TO[TRANSLATE_FROM.index(letter)] == fold(letter)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rizeni", True),
        ("ŘÍZENÍ", True),
        ("Řízení", True),
        ("rízení dopravy", True),
        ("řízeni x", False),
    ],
)
def test_search_in_the_database_ignores_accents_and_case(demo_plan, query, expected):
    item = StackItem.objects.filter(plan=demo_plan).first()
    StackItem.objects.filter(pk=item.pk).update(name="Chytré ŘÍZENÍ dopravy", description="")
    found = folded_search(
        StackItem.objects.filter(pk=item.pk), fields=["name", "description"], query=query
    )
    assert found.exists() is expected


def test_search_words_are_literal_not_patterns(demo_plan):
    item = StackItem.objects.filter(plan=demo_plan).first()
    StackItem.objects.filter(pk=item.pk).update(name="Sleva 50% pro_seniory")
    rows = StackItem.objects.filter(plan=demo_plan)
    assert list(folded_search(rows, fields=["name"], query="50%").values_list("pk", flat=True)) == [
        item.pk
    ]
    assert folded_search(rows, fields=["name"], query="%").count() == 1
    assert folded_search(rows, fields=["name"], query="o_s").count() == 1
