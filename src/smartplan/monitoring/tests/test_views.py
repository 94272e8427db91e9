"""The dashboard, "my indicators" and the value form, as their users see them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.access.services import plan_role_grant
from smartplan.demo.synthetic import synthetic_plans_generate
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.services import plan_states_recompute
from smartplan.organisations.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def tvrznik(demo_plan, django_user_model):
    """Pavel Tvrzník, head of the IT department, responsible for indicators 7, 8 and 9."""
    user = django_user_model.objects.create_user("tvrznik", password="heslo-tvrznik")
    Person.objects.filter(plan=demo_plan, name="Pavel Tvrzník").update(user=user)
    # He enters the values of his indicators as their data provider.
    plan_role_grant(
        plan=demo_plan,
        user=user,
        role="provider",
        sub_indicators=SubIndicator.objects.filter(
            plan=demo_plan, indicator__responsible_person__user=user
        ),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def test_dashboard_lists_overdue_and_links_to_fixes(coordinator_client, demo_plan):
    plan_states_recompute(plan=demo_plan, as_of=dt.date(2023, 2, 1))
    page = coordinator_client.get(
        reverse("monitoring:dashboard", args=[demo_plan.slug])
    ).content.decode()
    assert "Počet přístupů uživatelů koncové aplikace B2C" in page
    assert "po termínu" in page
    assert (
        reverse(
            "monitoring:measurement-add",
            args=[SubIndicator.objects.get(plan=demo_plan, code="1.1").pk],
        )
        in page
    )
    assert "916,8" not in page  # the dashboard shows the stack by status, 1–4
    assert "772\xa0mil.\xa0Kč" in page  # status 1: running items
    assert "<details>" in page  # every progress figure explains itself


def test_dashboard_is_for_coordinators(tvrznik, demo_plan):
    assert tvrznik.get(reverse("monitoring:dashboard", args=[demo_plan.slug])).status_code == 403


def test_dashboard_queries_do_not_grow_with_the_plan(coordinator_client):
    small = synthetic_plans_generate(plans=1, scale=1, seed=31, measurements_per_sub=2)[0].plan
    big = synthetic_plans_generate(plans=1, scale=5, seed=32, measurements_per_sub=4)[0].plan
    counts = []
    for plan in (small, big):
        plan_states_recompute(plan=plan)
        with CaptureQueriesContext(connection) as queries:
            assert (
                coordinator_client.get(
                    reverse("monitoring:dashboard", args=[plan.slug])
                ).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_my_indicators_and_entering_a_value_in_czech_format(tvrznik, demo_plan):
    plan_states_recompute(plan=demo_plan)
    page = tvrznik.get(reverse("monitoring:mine")).content.decode()
    assert "8.1 Počet otevřených datových sad" in page
    assert "1.1 Počet přístupů" not in page  # not his
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    response = tvrznik.post(
        reverse("monitoring:measurement-add", args=[datasets.pk]),
        {"date": "31. 12. 2022", "value": "5,0", "note": ""},
        follow=True,
    )
    assert "Hodnota byla uložena" in response.content.decode()
    measurement = Measurement.objects.get(sub_indicator=datasets)
    assert (measurement.value, measurement.date) == (Decimal(5), dt.date(2022, 12, 31))
    assert measurement.entered_by.username == "tvrznik"


def test_off_track_value_without_comment_is_refused_with_the_reason(tvrznik, demo_plan):
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    response = tvrznik.post(
        reverse("monitoring:measurement-add", args=[datasets.pk]),
        {"date": "30. 6. 2022", "value": "0", "note": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "mimo plán" in page
    assert "komentář" in page
    assert not Measurement.objects.filter(sub_indicator=datasets).exists()


def test_others_cannot_enter_values(tvrznik, demo_plan):
    downloads = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    assert (
        tvrznik.get(reverse("monitoring:measurement-add", args=[downloads.pk])).status_code == 403
    )


def test_milestone_form_offers_yes_or_no(tvrznik, demo_plan):
    warehouse = SubIndicator.objects.get(plan=demo_plan, code="9.1")
    page = tvrznik.get(reverse("monitoring:measurement-add", args=[warehouse.pk])).content.decode()
    assert "ano, splněno" in page


def test_changing_a_final_value_on_my_indicators_needs_a_reason_and_keeps_it(tvrznik, demo_plan):
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    add = reverse("monitoring:measurement-add", args=[datasets.pk])
    tvrznik.post(add, {"date": "30. 6. 2021", "value": "3", "final": "on", "note": ""})
    stored = Measurement.objects.get(sub_indicator=datasets)
    assert stored.status == "final"
    edit = reverse("monitoring:measurement-edit", args=[stored.pk])
    change = {"date": "30. 6. 2021", "value": "4", "final": "on", "note": "", "reason": ""}

    response = tvrznik.post(edit, change)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["reason"]
    assert "Hodnota 8.1 k 30. 6. 2021 je konečná; uveďte důvod změny" in errors["reason"][0]
    assert "uveďte důvod změny" in response.content.decode()
    stored.refresh_from_db()
    assert stored.value == 3
    assert not stored.revisions.exists()

    # Entering a value for the same date again is a change of the stored one, by the rules.
    response = tvrznik.post(add, {"date": "30. 6. 2021", "value": "4", "note": ""})
    assert list(response.context["form"].errors) == ["reason"]

    change["reason"] = "Započtena i datová sada o dopravě."
    response = tvrznik.post(edit, change, follow=True)
    assert "Hodnota byla změněna" in response.content.decode()
    stored.refresh_from_db()
    assert stored.value == 4
    revision = stored.revisions.get()
    assert (revision.old_value, revision.reason, revision.changed_by.username) == (
        Decimal(3),
        "Započtena i datová sada o dopravě.",
        "tvrznik",
    )
    assert "Započtena i datová sada o dopravě." in tvrznik.get(add).content.decode()
    assert Measurement.objects.filter(sub_indicator=datasets).count() == 1
