"""Pages, links and buttons that exchange, reports and monitoring add to the admin."""

import pytest
from django.urls import reverse

from smartplan.core import admin_extensions
from smartplan.plans.models import Plan
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return Plan.objects.create(
        name="Plán", slug="plan", territory_name="Kraj", period_from=2020, period_to=2022
    )


def test_a_plan_page_shows_the_links_the_apps_added(coordinator_client, plan):
    page = coordinator_client.get(reverse("admin:plans_plan_change", args=[plan.pk])).content
    page = page.decode()
    for url in (
        reverse("admin:plans_plan_export", args=[plan.pk]),
        reverse("admin:plans_plan_import", args=[plan.pk]),
        reverse("admin:plans_plan_template"),
        reverse("monitoring:dashboard", args=[plan.slug]),
        reverse("admin:reports_report_changelist") + f"?plan__id__exact={plan.pk}",
    ):
        assert f"href='{url}'" in page
    # a line per app that added links: monitoring with reports, and import/export
    assert "Stáhnout sešit (XLSX)" in page
    assert page.count("<p><a href=") >= 2


def test_an_added_plan_page_loads_its_view_on_first_request(coordinator_client, plan):
    response = coordinator_client.get(reverse("admin:plans_plan_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_register_lists_offer_the_export_buttons_of_registers_with_a_sheet(coordinator_client):
    stack = coordinator_client.get(reverse("admin:stack_stackitem_changelist")).content.decode()
    assert reverse("admin:stack_stackitem_export", args=["csv"]) in stack
    assert [b.args for b in admin_extensions.register_buttons(StackItem)] == [
        ("xlsx",),
        ("ods",),
        ("csv",),
    ]
    assert admin_extensions.register_buttons(Plan) == []


def test_adding_the_same_link_twice_adds_it_once(monkeypatch):
    monkeypatch.setattr(admin_extensions, "_plan_links", [])

    def url(plan):
        return f"/plan/{plan.pk}/"

    for _ in range(2):
        admin_extensions.plan_link_add(label="A", url=url, group="g")
    admin_extensions.plan_link_add(label="B", url=url, group="h")
    assert admin_extensions.plan_links(Plan(pk=7)) == [[("/plan/7/", "A")], [("/plan/7/", "B")]]


def test_a_register_export_in_an_unknown_format_is_not_found(coordinator_client):
    url = reverse("admin:stack_stackitem_export", args=["pdf"])
    assert coordinator_client.get(url).status_code == 404
