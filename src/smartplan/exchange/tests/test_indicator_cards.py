"""The seed's Appendix 1 as a table (indicator cards as "field | value" blocks) updates the
texts of an existing plan's indicators."""

import pytest

from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.registers import INDICATORS
from smartplan.exchange.tests.seed_tables import card_table, write
from smartplan.indicators.models import Indicator

pytestmark = pytest.mark.django_db
TEXTS = (
    "name",
    "description",
    "future_indicators_intro",
    "future_indicators",
    "target_state",
    "data_source",
    "methodology",
    "frequency_text",
    "specific_goal_note",
)


def _indicators(plan):
    return {
        i.number: (
            *(getattr(i, name) for name in TEXTS),
            i.project.number,
            i.specific_goal.code if i.specific_goal else None,
            sorted(g.code for g in i.strategic_goals.all()),
            i.frequency,
            i.weight,
            i.last_update,
        )
        for i in Indicator.objects.filter(plan=plan).select_related("project", "specific_goal")
    }


def _sheet(report):
    return next(s for s in report.sheets if s.name == INDICATORS.name)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "docx"])
def test_the_seed_cards_match_the_plan(demo_plan, tmp_path, fmt):
    before = _indicators(demo_plan)
    path = write(tmp_path / "priloha1", fmt, card_table())
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert (_sheet(report).updated, _sheet(report).unchanged) == (0, 9)
    assert _indicators(demo_plan) == before


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "docx"])
def test_changed_cards_update_the_indicators_texts_and_keep_the_rest(demo_plan, tmp_path, fmt):
    before = _indicators(demo_plan)
    changes = {
        1: {"target_state": "Po 3 letech: 12 tis. stažení", "data_source": "KORID LK, a.s."},
        4: {"methodology": "Dálkové odečty jednou za měsíc.", "frequency_text": "ročně"},
        9: {"description": "Nový popis.\n\nDruhý odstavec."},
    }
    path = write(tmp_path / "priloha1", fmt, card_table(changes=changes))
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert _sheet(report).updated == 3
    first = Indicator.objects.get(plan=demo_plan, number=1)
    assert (first.target_state, first.data_source) == (
        "Po 3 letech: 12 tis. stažení",
        "KORID LK, a.s.",
    )
    fourth = Indicator.objects.get(plan=demo_plan, number=4)
    assert fourth.methodology == "Dálkové odečty jednou za měsíc."
    assert fourth.frequency_text == "ročně"
    ninth = Indicator.objects.get(plan=demo_plan, number=9)
    assert ninth.description == "Nový popis.\n\nDruhý odstavec."
    assert ninth.future_indicators == before[9][TEXTS.index("future_indicators")]
    after = _indicators(demo_plan)
    # What a card does not hold (weight, update date, frequency choice) is kept.
    assert {n: v[-3:] for n, v in after.items()} == {n: v[-3:] for n, v in before.items()}
    again = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert _sheet(again).updated == 0


SEED_CARD_1 = [
    ["Název indikátoru", "1 Počet zapojených subjektů do optimalizace dopravy"],
    ["Strategický cíl", "Ušetřit"],
    ["Specifický cíl", "2.2. Snížení emisí skleníkových plynů měřené v tunách na osobu"],
    ["Vlajkový projekt", "Sběr dopravních dat"],
    ["Zdroj dat", "Nositel projektu - KORID LK, a.s."],
    ["Metodika sběru dat a vyhodnocení", "Odečet z middleware."],
    ["Frekvence", "doporučená frekvence sběru dat – po 3 letech."],
    ["Poznámka redakce", "ke kontrole"],
]


def test_a_card_with_its_labels_split_over_rows_and_an_unknown_field(demo_plan, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Karta"
    for row in SEED_CARD_1:
        ws.append(row)
    workbook.save(tmp_path / "karta.xlsx")
    before = _indicators(demo_plan)[1]
    report = workbook_import(path=tmp_path / "karta.xlsx", plan_slug=demo_plan.slug)
    assert _sheet(report).updated == 1
    first = Indicator.objects.get(plan=demo_plan, number=1)
    assert (first.data_source, first.methodology) == (
        "Nositel projektu - KORID LK, a.s.",
        "Odečet z middleware.",
    )
    assert first.specific_goal.code == "2.2"
    assert first.frequency_text == "doporučená frekvence sběru dat – po 3 letech"
    assert first.description == before[TEXTS.index("description")]  # the card has none
    warnings = [str(w) for w in report.warnings]
    assert any("Poznámka redakce" in w and "není to pole karty" in w for w in warnings)


def test_cards_for_a_plan_still_to_be_created_are_refused_asking_for_one(demo_plan, tmp_path):
    from smartplan.core.problems import ImportRefusedError
    from smartplan.exchange.tests.seed_tables import Table

    plan_sheet = Table("Plán")
    plan_sheet.add("Kód plánu", "novy-plan")
    plan_sheet.add("Název", "Nový plán")
    path = write(tmp_path / "priloha1", "xlsx", plan_sheet, card_table())
    with pytest.raises(ImportRefusedError) as caught:
        workbook_import(path=path)
    assert "list Příloha 1: tato tabulka výroční zprávy doplňuje existující plán" in str(
        caught.value
    )
