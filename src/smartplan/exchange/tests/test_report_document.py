"""Last year's annual report as a Word document seeds the plan: its appendices' tables
(indicator cards, the stack, the fulfilment per project) import in one go."""

import pytest

from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.tests.seed_tables import (
    Table,
    card_table,
    docx_write,
    fulfilment_table,
    stack_table,
)
from smartplan.indicators.models import Indicator
from smartplan.projects.models import ActivityFulfilment
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def test_the_whole_report_imports_into_the_plan_and_again_changes_nothing(demo_plan, tmp_path):
    StackItem.objects.filter(plan=demo_plan, number__gte=45).update(year_added=None)
    ActivityFulfilment.objects.filter(
        activity__plan=demo_plan, activity__project__number=4, activity__number=1
    ).update(spent=0)
    contacts = Table("Kontakty")
    contacts.add("Jméno", "Telefon")
    contacts.add("Jan Čáp", "485 226 596")
    fulfilment = fulfilment_table(spent={(4, 1, ""): "260 000 Kč"})
    path = docx_write(
        tmp_path / "vyrocni-zprava-2020.docx",
        contacts,
        card_table(changes={2: {"data_source": "ARR – Agentura regionálního rozvoje"}}),
        stack_table(heading="Nové projekty 2020"),
        *fulfilment.split(),
    )
    report = workbook_import(path=path, plan_slug=demo_plan.slug)
    changed = {s.name: s.updated for s in report.sheets if s.updated}
    assert changed == {"Indikátory": 1, "Zásobník projektů": 9, "Finanční plnění": 1}
    assert Indicator.objects.get(plan=demo_plan, number=2).data_source.startswith("ARR – Agentura")
    years = StackItem.objects.filter(plan=demo_plan, number__gte=45).values_list(
        "year_added", flat=True
    )
    assert set(years) == {2020}
    warnings = [str(w) for w in report.warnings]
    assert any("Tabulka 1" in w and "neznámý list" in w for w in warnings), warnings
    again = workbook_import(path=path, plan_slug=demo_plan.slug)
    assert sum(s.updated + s.created for s in again.sheets) == 0
