"""The public flagship projects: the list and a project's card, figures from the selectors."""

import itertools
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from smartplan.core.czech_format import format_money, money_range
from smartplan.portal.tests.czech_default import czech_default  # noqa: F401
from smartplan.projects.models import Activity, ActivityFulfilment, FlagshipProject
from smartplan.projects.selectors import plan_money, project_spent_by_year


def test_list_shows_every_project_with_the_dashboard_money(client, demo_plan):
    response = client.get(reverse("portal:projects", args=[demo_plan.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    money = plan_money(plan=demo_plan, year=timezone.localdate().year)
    for row in money.projects:
        assert reverse("portal:project", args=[demo_plan.slug, row.number]) in html
        assert money_range(row.planned) in html
    assert money_range(money.planned) in html  # the plan's total in the footer
    assert "<caption" in html
    assert '<th scope="col"' in html


def test_card_shows_the_seed_card_and_activities(client, demo_plan):
    project = FlagshipProject.objects.get(plan=demo_plan, number=1)
    response = client.get(reverse("portal:project", args=[demo_plan.slug, 1]))
    assert response.status_code == 200
    html = response.content.decode()
    assert project.name in html
    assert project.guarantor.name in html
    assert "Popis projektu" in html
    assert "Stav přípravy" in html
    for point in project.description_points:
        assert point in html
    for activity in Activity.objects.filter(project=project):
        assert activity.description[:40] in html


def test_money_per_year_adds_up_to_the_plan_money(client, demo_plan):
    project = FlagshipProject.objects.get(plan=demo_plan, number=1)
    activity = Activity.objects.filter(project=project).order_by("number").first()
    ActivityFulfilment.objects.update_or_create(
        plan=demo_plan, activity=activity, year=2021, defaults={"spent": Decimal("123456")}
    )
    by_year = project_spent_by_year(project=project)
    total = plan_money(plan=demo_plan, year=2021).of(project.pk).spent_total
    assert sum(by_year.values()) == total
    response = client.get(reverse("portal:project", args=[demo_plan.slug, 1]))
    html = response.content.decode()
    assert format_money(Decimal("123456")) in html
    assert format_money(total) in html
    card = response.context["card"]
    assert card.spent_by_year == by_year
    assert 2021 in card.years


def test_unknown_project_is_not_found(client, demo_plan):
    assert client.get(reverse("portal:project", args=[demo_plan.slug, 99])).status_code == 404
    assert client.get(reverse("portal:project", args=[demo_plan.slug, "x1"])).status_code == 404


def test_private_plan_projects_are_not_found(client, demo_plan):
    demo_plan.published = False
    demo_plan.save(update_fields=["published"])
    assert client.get(reverse("portal:projects", args=[demo_plan.slug])).status_code == 404
    assert client.get(reverse("portal:project", args=[demo_plan.slug, 1])).status_code == 404


def test_project_headings_are_in_order(client, demo_plan):
    html = client.get(reverse("portal:project", args=[demo_plan.slug, 1])).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1


def test_english_card(client, demo_plan):
    html = client.get("/en" + reverse("portal:project", args=[demo_plan.slug, 1])).content.decode()
    assert "Project description" in html
