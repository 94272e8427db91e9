"""Accent- and case-insensitive search: the Python rule and the SQL one agree."""

import random

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


CZECH_NAMES = [
    "Město Liberec",
    "MĚSTSKÁ doprava",
    "mestska zelen",
    "Řízení křižovatek",
    "ŘÍZENÍ DOPRAVY",
    "rizeni vody",
    "Žluťoučký kůň úpěl ďábelské ódy",
    "ZLUTOUCKY KUN",
    "Chytrá Čtvrť",
    "Úřad práce",
    "ústí nad Labem",
    "Sleva 50% [*?] pro_seniory",
]
CZECH_QUERIES = [
    "město",
    "MĚSTO",
    "mesto",
    "Mesto",
    "městská",
    "řízení",
    "RIZENI",
    "Řízení dopravy",
    "zlutoucky kun",
    "ŽLUŤOUČKÝ KŮŇ",
    "ďábelské",
    "dabelske ODY",
    "čtvrť",
    "CTVRT",
    "úřad",
    "URAD",
    "ústí",
    "usti labem",
    "Ůsti",
    "[*?]",
    "50%",
    "o_s",
    "?",
    "*",
    "ne-existuje",
]


def _expected(names: dict[int, str], query: str) -> set[int]:
    """The rule in Python: every folded word of the query is in the folded name."""
    words = fold(query).split()
    return {pk for pk, name in names.items() if all(word in fold(name) for word in words)}


def _stack_names(demo_plan, names: list[str]) -> dict[int, str]:
    items = list(StackItem.objects.filter(plan=demo_plan).order_by("pk")[: len(names)])
    assert len(items) == len(names)
    for item, name in zip(items, names, strict=True):
        StackItem.objects.filter(pk=item.pk).update(name=name, description="", note="")
    return {item.pk: name for item, name in zip(items, names, strict=True)}


@pytest.mark.parametrize("query", CZECH_QUERIES)
def test_czech_words_with_and_without_diacritics_find_the_same_rows(demo_plan, query):
    """The database finds exactly the rows the Python rule finds (on SQLite and on
    PostgreSQL alike: the tests run on both), whatever the case and the accents."""
    names = _stack_names(demo_plan, CZECH_NAMES)
    rows = StackItem.objects.filter(pk__in=names)
    found = set(
        folded_search(rows, fields=["name", "note"], query=query).values_list("pk", flat=True)
    )
    assert found == _expected(names, query)


def test_the_variants_of_a_word_find_the_same_rows(demo_plan):
    names = _stack_names(demo_plan, CZECH_NAMES)
    rows = StackItem.objects.filter(pk__in=names)

    def found(query: str) -> set[str]:
        hits = folded_search(rows, fields=["name"], query=query).values_list("pk", flat=True)
        return {names[pk] for pk in hits}

    assert found("město") == found("MESTO") == found("Město") == {"Město Liberec"}
    assert (
        found("měst")
        == found("MEST")
        == found("mĚsT")
        == {
            "Město Liberec",
            "MĚSTSKÁ doprava",
            "mestska zelen",
        }
    )
    assert (
        found("řízení")
        == found("RIZENI")
        == {
            "Řízení křižovatek",
            "ŘÍZENÍ DOPRAVY",
            "rizeni vody",
        }
    )
    assert found("kůň") == found("KUN") == {"Žluťoučký kůň úpěl ďábelské ódy", "ZLUTOUCKY KUN"}


def test_random_czech_texts_agree_with_the_python_rule(demo_plan):
    """Many texts and queries of Czech letters, both cases, digits and GLOB's and LIKE's own
    characters: the database and :func:`fold` agree on every one."""
    generator = random.Random(13)
    alphabet = "aábcčdďeéěfghiíjklmnňoópqrřsštťuúůvwxyýzž" + "AÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ" + "09 %_*?[]-"
    texts = ["".join(generator.choices(alphabet, k=generator.randint(3, 12))) for _ in range(40)]
    names = _stack_names(demo_plan, texts)
    rows = StackItem.objects.filter(pk__in=names)
    for _ in range(60):
        text = generator.choice(texts)
        start = generator.randrange(len(text))
        query = text[start : start + generator.randint(1, 4)]
        query = "".join(generator.choice((c.lower(), c.upper(), fold(c))) for c in query)
        found = set(folded_search(rows, fields=["name"], query=query).values_list("pk", flat=True))
        assert found == _expected(names, query), query
