"""The plan's open data catalogue facts are edited on the plan's page."""

import pytest
from django.urls import reverse

from smartplan.core.tests.admin_form_posts import form_data
from smartplan.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_the_coordinator_sets_the_conditions_of_use_and_contact(coordinator_client, demo_plan):
    url = reverse("admin:plans_plan_change", args=[demo_plan.pk])
    html = coordinator_client.get(url).content.decode()
    assert "Katalog otevřených dat (DCAT-AP-CZ)" in html
    assert "neobsahuje osobní údaje" in html
    data = form_data(html, "plan_form")
    assert data["terms_personal_data"] == Plan.PersonalData.CONTAINS
    data["terms_personal_data"] = Plan.PersonalData.NONE
    data["open_data_contact_email"] = "data@kraj-lbc.cz"
    data["_save"] = "Uložit"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    demo_plan.refresh_from_db()
    assert demo_plan.terms_personal_data == Plan.PersonalData.NONE
    assert demo_plan.open_data_contact_email == "data@kraj-lbc.cz"


def test_a_legal_act_must_be_an_address(coordinator_client, demo_plan):
    url = reverse("admin:plans_plan_change", args=[demo_plan.pk])
    data = form_data(coordinator_client.get(url).content.decode(), "plan_form")
    data["legal_act_iri"] = "zákon 106/1999"
    data["_save"] = "Uložit"
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "legal_act_iri" in response.context["adminform"].form.errors
    demo_plan.refresh_from_db()
    assert demo_plan.legal_act_iri == "http://data.europa.eu/eli/dir/2019/1024/oj"
