"""The editing interface writes measured values through the measurement action."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save

pytestmark = pytest.mark.django_db
MID_2021 = dt.date(2021, 6, 30)


@pytest.fixture
def final_value(demo_plan):
    """8.1 open datasets: a final 3 at mid-2021."""
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    return measurement_save(
        entry=MeasurementEntry(sub_indicator=datasets, date=MID_2021, value=Decimal(3), final=True),
        user=None,
    )


def _measurements(response):
    """The measurements formset of a sub-indicator page as the response rendered it."""
    formsets = response.context["inline_admin_formsets"]
    [admin_formset] = [f for f in formsets if f.formset.prefix == "measurements"]
    return admin_formset.formset


def test_measurement_change_form_refuses_a_final_value_changed_without_a_reason(
    coordinator_client, final_value, page_form
):
    url = reverse("admin:indicators_measurement_change", args=[final_value.pk])
    data = page_form(coordinator_client.get(url).content.decode())
    assert data["reason"] == ""  # the form offers the reason
    data["value"] = "4"
    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["reason"]
    assert "Hodnota 8.1 k 30. 6. 2021 je konečná; uveďte důvod změny" in errors["reason"][0]
    assert "Hodnota 8.1 k 30. 6. 2021 je konečná" in response.content.decode()
    final_value.refresh_from_db()
    assert final_value.value == 3
    assert not MeasurementRevision.objects.exists()

    data["reason"] = "Započtena i datová sada o dopravě."
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    final_value.refresh_from_db()
    assert (final_value.value, final_value.status) == (4, "final")
    revision = MeasurementRevision.objects.get(measurement=final_value)
    assert (revision.old_value, revision.reason, revision.changed_by.username) == (
        Decimal(3),
        "Započtena i datová sada o dopravě.",
        "koordinator",
    )


def test_measurement_add_form_for_a_stored_date_changes_that_value_by_the_rules(
    coordinator_client, final_value, page_form
):
    url = reverse("admin:indicators_measurement_add")
    data = page_form(coordinator_client.get(url).content.decode())
    data.update(
        {
            "plan": str(final_value.plan_id),
            "sub_indicator": str(final_value.sub_indicator_id),
            "date": "30. 6. 2021",
            "value": "5",
            "status": "final",
        }
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["reason"]
    data["reason"] = "Oprava překlepu."
    assert coordinator_client.post(url, data).status_code == 302
    assert Measurement.objects.get().value == 5  # the one value, changed, not a second one
    assert MeasurementRevision.objects.get().old_value == 3


def test_admin_form_shows_the_other_rules_on_their_fields(coordinator_client, demo_plan, page_form):
    url = reverse("admin:indicators_measurement_add")
    data = page_form(coordinator_client.get(url).content.decode())
    centre = SubIndicator.objects.get(plan=demo_plan, code="6.1")  # a milestone
    data.update(
        {
            "plan": str(demo_plan.pk),
            "sub_indicator": str(centre.pk),
            "period_start": "1. 7. 2021",
            "date": "30. 6. 2021",
            "value": "2",
            "note": "",
        }
    )
    response = coordinator_client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert "Milník má hodnotu 0" in errors["value"][0]
    assert "Období nemůže skončit dřív, než začne" in errors["period_start"][0]
    assert not Measurement.objects.exists()


def test_inline_under_a_sub_indicator_refuses_a_final_value_changed_without_a_reason(
    coordinator_client, final_value, page_form
):
    url = reverse("admin:indicators_subindicator_change", args=[final_value.sub_indicator_id])
    data = page_form(coordinator_client.get(url).content.decode())
    assert data["measurements-0-value"] == "3,0000"
    data["measurements-0-value"] = "4"
    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    [formset] = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "measurements"
    ]
    assert "konečná; uveďte důvod změny" in formset.forms[0].errors["reason"][0]
    final_value.refresh_from_db()
    assert final_value.value == 3

    data["measurements-0-reason"] = "Přepočet podle NKOD."
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    final_value.refresh_from_db()
    assert final_value.value == 4
    revision = MeasurementRevision.objects.get(measurement=final_value)
    assert (revision.old_value, revision.reason, revision.changed_by.username) == (
        Decimal(3),
        "Přepočet podle NKOD.",
        "koordinator",
    )


def test_inline_adds_a_value_through_the_action(coordinator_client, demo_plan, page_form):
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    url = reverse("admin:indicators_subindicator_change", args=[datasets.pk])
    data = page_form(coordinator_client.get(url).content.decode())
    data.update(
        {
            "measurements-TOTAL_FORMS": "1",
            "measurements-0-sub_indicator": str(datasets.pk),
            "measurements-0-date": "30. 6. 2022",
            "measurements-0-value": "0",
            "measurements-0-status": "provisional",
        }
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 200  # 0 datasets a half-year before the deadline: off track
    [formset] = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "measurements"
    ]
    assert "mimo plán" in formset.forms[0].errors["note"][0]
    data["measurements-0-note"] = "Portál se zpozdil."
    assert coordinator_client.post(url, data).status_code == 302
    stored = Measurement.objects.get(sub_indicator=datasets)
    assert (stored.value, stored.note, stored.entered_by.username) == (
        0,
        "Portál se zpozdil.",
        "koordinator",
    )


def test_inline_nested_under_an_indicator_goes_through_the_action_too(
    coordinator_client, final_value, page_form
):
    url = reverse(
        "admin:indicators_indicator_change", args=[final_value.sub_indicator.indicator_id]
    )
    data = page_form(coordinator_client.get(url).content.decode())
    prefix = "sub_indicators-0-measurements-0-"
    assert data[f"{prefix}value"] == "3,0000"
    data[f"{prefix}value"] = "0"
    data[f"{prefix}note"] = "Portál se zpozdil."
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "Hodnota 8.1 k 30. 6. 2021 je konečná; uveďte důvod změny" in response.content.decode()
    final_value.refresh_from_db()
    assert final_value.value == 3

    data[f"{prefix}reason"] = "Datové sady byly staženy."
    assert coordinator_client.post(url, data).status_code == 302
    final_value.refresh_from_db()
    assert (final_value.value, final_value.note) == (0, "Portál se zpozdil.")
    assert MeasurementRevision.objects.get().reason == "Datové sady byly staženy."
