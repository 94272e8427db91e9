"""Yearly fulfilment: money not negative, a year of the plan, one per activity and year."""

from decimal import Decimal

import pytest
from django.urls import reverse

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


def test_every_problem_is_reported_on_its_field(activity):
    fulfilment_save(entry=FulfilmentEntry(activity=activity, year=2021, spent=Decimal(100)))
    problems = SaveFulfilment(
        FulfilmentEntry(activity=activity, year=2021, spent=Decimal(-1))
    ).check()
    assert [(p.field, p.message) for p in problems] == [
        ("spent", "Vynaložené prostředky nemohou být záporné."),
        ("year", "Aktivita již má plnění za rok 2021."),
    ]
    [outside] = SaveFulfilment(FulfilmentEntry(activity=activity, year=2019)).check()
    assert (outside.field, outside.message) == ("year", "Rok leží mimo období plánu 2020–2022.")
    with pytest.raises(ChangeRefusedError):
        fulfilment_save(entry=FulfilmentEntry(activity=activity, year=2019))
    assert not ActivityFulfilment.objects.filter(activity=activity, year=2019).exists()


def test_a_stored_fulfilment_is_changed_by_its_id(activity):
    stored = fulfilment_save(entry=FulfilmentEntry(activity=activity, year=2021, spent=Decimal(1)))
    changed = fulfilment_save(
        entry=FulfilmentEntry(
            activity=activity,
            year=2021,
            spent=Decimal(260000),
            outputs="Projektová dokumentace",
            fulfilment_id=stored.pk,
        )
    )
    assert changed.pk == stored.pk
    stored.refresh_from_db()
    assert (stored.spent, stored.outputs) == (Decimal(260000), "Projektová dokumentace")


def test_the_admin_shows_the_rules_on_their_fields(coordinator_client, activity):
    url = reverse("admin:projects_activityfulfilment_add")
    data = {
        "plan": str(activity.plan_id),
        "activity": str(activity.pk),
        "year": "2025",
        "outputs": "",
        "spent": "-5",
    }
    response = coordinator_client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert "Rok leží mimo období plánu 2020–2022." in errors["year"]
    assert "spent" in errors
    data.update({"year": "2021", "spent": "1 500"})
    assert coordinator_client.post(url, data).status_code == 302
    assert ActivityFulfilment.objects.get(activity=activity, year=2021).spent == 1500
