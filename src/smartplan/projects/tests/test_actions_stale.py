"""Yearly fulfilment: an edit from an older version is refused; two added at once end as one."""

from decimal import Decimal

import pytest

from smartplan.core.problems import ChangeRefusedError
from smartplan.projects.actions import FulfilmentEntry, SaveFulfilment, fulfilment_save
from smartplan.projects.models import Activity, ActivityFulfilment

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(demo_plan):
    return (
        Activity.objects.filter(plan=demo_plan)
        .exclude(fulfilments__year=2021)
        .order_by("project__number", "number")[0]
    )


def test_an_edit_from_an_older_version_is_refused_with_what_it_says_now(activity):
    stored = fulfilment_save(entry=FulfilmentEntry(activity=activity, year=2021, outputs="Plán"))
    seen = stored.version
    colleague = ActivityFulfilment.objects.get(pk=stored.pk)
    colleague.spent, colleague.outputs = Decimal(12500), "Hotová studie"
    colleague.save()

    entry = FulfilmentEntry(
        activity=activity,
        year=2021,
        spent=Decimal(1),
        outputs="Moje",
        fulfilment_id=stored.pk,
        based_on_version=seen,
    )
    [problem] = SaveFulfilment(entry).check()
    assert problem.field == "based_on_version"
    assert "vynaloženo 12 500 Kč, výstupy „Hotová studie“" in problem.message.replace("\xa0", " ")
    with pytest.raises(ChangeRefusedError):
        fulfilment_save(entry=entry)
    stored.refresh_from_db()
    assert stored.outputs == "Hotová studie"


def test_a_fulfilment_added_after_the_check_is_refused_not_a_server_error(activity, monkeypatch):
    """Two people add the activity's fulfilment for one year at once: the database keeps one,
    the second gets the Czech problem of the rule, never an IntegrityError."""
    original = SaveFulfilment.check

    def check_then_another_adds(self):
        problems = original(self)
        ActivityFulfilment.objects.create(
            plan_id=activity.plan_id, activity=activity, year=2021, outputs="Kolega"
        )
        return problems

    monkeypatch.setattr(SaveFulfilment, "check", check_then_another_adds)
    with pytest.raises(ChangeRefusedError) as refused:
        fulfilment_save(entry=FulfilmentEntry(activity=activity, year=2021, outputs="Já"))
    assert [p.message for p in refused.value.problems] == ["Aktivita již má plnění za rok 2021."]
