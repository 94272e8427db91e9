"""The permission layer adds a bounded number of queries: pages with roles do not ask more
as the user's roles, projects, sub-indicators or the plan's rows grow."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.access.services import plan_role_grant
from smartplan.indicators.models import SubIndicator
from smartplan.projects.models import Activity, FlagshipProject

pytestmark = pytest.mark.django_db


def _queries(client, url):
    # Rendered, not kept (core.list_page_cache), and the two-factor gate asks as on a first
    # visit: every count is of the same work.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


def test_the_changelist_asks_as_often_with_one_role_as_with_many(demo_plan, other_plan):
    projects = list(FlagshipProject.objects.filter(plan=demo_plan).order_by("number"))
    one = User.objects.create_user("garant-1")
    plan_role_grant(plan=demo_plan, user=one, role="guarantor", projects=projects[:1])
    many = User.objects.create_user("garant-9")
    plan_role_grant(plan=demo_plan, user=many, role="guarantor", projects=projects)
    plan_role_grant(plan=demo_plan, user=many, role="steering")
    plan_role_grant(plan=other_plan, user=many, role="coordinator")
    url = reverse("admin:projects_activity_changelist") + f"?plan__id__exact={demo_plan.pk}"
    few_rows = _queries(_client(one), url)
    assert _queries(_client(many), url) == few_rows
    # More rows in the plan: the same number of queries.
    template = Activity.objects.filter(plan=demo_plan).first()
    for number in range(100, 140):
        Activity.objects.create(
            plan=demo_plan, project=template.project, number=number, description="Další"
        )
    assert _queries(_client(one), url) == few_rows


def test_moje_indikatory_asks_as_often_for_one_sub_indicator_as_for_all(demo_plan):
    subs = list(SubIndicator.objects.filter(plan=demo_plan).order_by("code"))
    one = User.objects.create_user("data-1")
    plan_role_grant(plan=demo_plan, user=one, role="provider", sub_indicators=subs[:1])
    every = User.objects.create_user("data-12")
    plan_role_grant(plan=demo_plan, user=every, role="provider", sub_indicators=subs)
    url = reverse("monitoring:mine")
    first = _queries(_client(one), url)
    assert _queries(_client(every), url) == first
    page = _client(every).get(url).content.decode()
    assert all(sub.name in page for sub in subs)


def test_a_coordinator_s_change_page_asks_a_bounded_number_of_questions(demo_plan):
    coordinator = User.objects.create_user("koordinator-q")
    plan_role_grant(plan=demo_plan, user=coordinator, role="coordinator")
    superuser = User.objects.create_superuser("spravce-q", "s@example.invalid", "x")
    project = FlagshipProject.objects.get(plan=demo_plan, number=4)
    url = reverse("admin:projects_flagshipproject_change", args=[project.pk])
    # The roles once (1); Django's own model permissions of the user and their groups, read
    # once per request by ModelBackend (2); the admin's content type, cached afterwards (1).
    assert _queries(_client(coordinator), url) <= _queries(_client(superuser), url) + 4
