"""Writes through the editing interface and the other pages, refused outside the role."""

import datetime as dt
import hashlib
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from smartplan.access.models import PlanRole, ProviderToken
from smartplan.access.services import plan_role_grant
from smartplan.core.access_scope import rows_permitted
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.plans.models import Area
from smartplan.projects.models import Activity, FlagshipProject
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(user)
    return client


@pytest.fixture
def projects(demo_plan):
    return (
        FlagshipProject.objects.get(plan=demo_plan, number=4),
        FlagshipProject.objects.get(plan=demo_plan, number=1),
    )


@pytest.fixture
def guarantor(demo_plan, projects):
    user = User.objects.create_user("garant-w")
    plan_role_grant(plan=demo_plan, user=user, role="guarantor", projects=[projects[0]])
    return User.objects.get(pk=user.pk)


def _form(model, user, instance, new=False, **changes):
    """The editing interface's form of ``instance`` as ``user`` gets it, sent with changes
    (``new``: the same values sent on the add page)."""
    request = RequestFactory().get("/")
    request.user = user
    form_class = admin.site._registry[model].get_form(request, None if new else instance)
    shown = form_class(instance=instance)
    data = {}
    for name in shown.fields:
        value = shown[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = (
                str(value) if not isinstance(value, dt.date) else value.strftime("%d.%m.%Y")
            )
    data.update(changes)
    return form_class(data, instance=model() if new else instance)


def test_a_guarantor_may_not_move_an_activity_out_of_their_project(guarantor, projects):
    activity = Activity.objects.filter(project=projects[0]).first()
    renamed = _form(Activity, guarantor, activity, description="Nový popis")
    assert renamed.is_valid(), renamed.errors
    moved = _form(Activity, guarantor, activity, project=str(projects[1].pk))
    assert not moved.is_valid()
    assert "nesahá" in str(moved.non_field_errors())


def test_a_guarantor_adds_activities_only_under_their_project(guarantor, projects):
    template = Activity.objects.filter(project=projects[0]).first()
    for project, allowed in ((projects[0], True), (projects[1], False)):
        form = _form(Activity, guarantor, template, new=True, project=str(project.pk), number="77")
        assert form.is_valid() is allowed, form.errors


def test_another_plans_coordinator_cannot_post_a_change(demo_plan, other_plan):
    user = User.objects.create_user("koordinator-jinde")
    plan_role_grant(plan=other_plan, user=user, role="coordinator")
    item = StackItem.objects.filter(plan=demo_plan).first()
    url = reverse("admin:stack_stackitem_change", args=[item.pk])
    client = _client(user)
    assert client.get(url).status_code == 200  # read-only: the plan is published
    assert client.post(url, {"name": "Přepsáno"}).status_code == 403
    item.refresh_from_db()
    assert item.name != "Přepsáno"


def test_moje_indikatory_lists_and_accepts_only_assigned_sub_indicators(demo_plan):
    subs = list(SubIndicator.objects.filter(plan=demo_plan).order_by("code"))
    user = User.objects.create_user("poskytovatel-w")
    plan_role_grant(plan=demo_plan, user=user, role="provider", sub_indicators=subs[:1])
    client = _client(user)
    page = client.get(reverse("monitoring:mine")).content.decode()
    assert subs[0].name in page
    assert subs[1].name not in page
    value = {"date": "31. 12. 2021", "value": "5", "note": "Měřeno čidlem."}
    allowed = client.post(reverse("monitoring:measurement-add", args=[subs[0].pk]), value)
    assert allowed.status_code == 302
    denied = client.post(reverse("monitoring:measurement-add", args=[subs[1].pk]), value)
    assert denied.status_code == 403
    assert Measurement.objects.filter(sub_indicator=subs[1]).count() == 0
    # Not the coordinator's dashboard.
    dashboard = client.get(reverse("monitoring:dashboard", args=[demo_plan.slug]))
    assert dashboard.status_code == 403


def test_register_export_with_a_bad_filter_is_a_czech_400(coordinator_client):
    url = reverse("admin:stack_stackitem_export", args=["csv"])
    for bad in ("abc", "99999999999999999999999"):
        response = coordinator_client.get(url, {"plan__id__exact": bad})
        assert response.status_code == 400
        assert "Filtr seznamu nelze přečíst" in response.content.decode()
    assert coordinator_client.get(url, {"status__exact": "x"}).status_code == 400


def test_register_export_lists_only_permitted_rows(demo_plan, other_plan, guarantor, projects):
    """A guarantor's export of activities holds what they see: the published plan's rows;
    a coordinator of an unpublished plan exports it, a stranger gets none of it."""
    area = Area.objects.create(plan=other_plan, name="Oblast")
    project = FlagshipProject.objects.create(plan=other_plan, number=1, name="Jinde", area=area)
    Activity.objects.create(plan=other_plan, project=project, number=1, description="Skrytá")
    url = reverse("admin:projects_activity_export", args=["csv"])
    text = b"".join(_client(guarantor).get(url).streaming_content).decode()
    assert "Skrytá" not in text
    assert Activity.objects.filter(project=projects[1]).first().description[:30] in text


def test_an_unpublished_plan_is_hidden_from_the_public_not_from_its_guarantor(
    demo_plan, guarantor, projects
):
    demo_plan.published = False
    demo_plan.save()
    stranger = User.objects.create_user("cizi")
    other_activity = Activity.objects.filter(project=projects[1]).first()
    assert not stranger.has_perm("projects.view_activity", other_activity)
    assert guarantor.has_perm("projects.view_activity", other_activity)
    assert not guarantor.has_perm("projects.change_activity", other_activity)
    assert rows_permitted(stranger, Activity.objects.filter(plan=demo_plan)).count() == 0


def test_a_coordinator_grants_a_role_and_makes_a_token_shown_once(demo_plan):
    coordinator = User.objects.create_user("koordinator-g")
    plan_role_grant(plan=demo_plan, user=coordinator, role="coordinator")
    newcomer = User.objects.create_user("novacek")
    client = _client(coordinator)
    sub = SubIndicator.objects.filter(plan=demo_plan).order_by("code").first()
    response = client.post(
        reverse("admin:access_planrole_add"),
        {"plan": demo_plan.pk, "user": newcomer.pk, "role": "provider",
         "sub_indicators": [sub.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert PlanRole.objects.get(user=newcomer).sub_indicators.get() == sub
    made = client.post(
        reverse("admin:access_providertoken_add"),
        {"plan": demo_plan.pk, "name": "Čidlo", "sub_indicators": [sub.pk]},
        follow=True,
    )
    token = ProviderToken.objects.get(name="Čidlo")
    shown = " ".join(str(m) for m in made.context["messages"])
    secret = re.search(rf"{re.escape(token.prefix)}\S+", shown).group(0).rstrip(".")
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    again = client.get(reverse("admin:access_providertoken_change", args=[token.pk]))
    assert secret not in again.content.decode()  # shown once only
    client.post(
        reverse("admin:access_providertoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_roles_and_tokens_are_the_coordinators_only(demo_plan, guarantor):
    client = _client(guarantor)
    assert client.get(reverse("admin:access_planrole_changelist")).status_code == 403
    assert client.get(reverse("admin:access_providertoken_add")).status_code == 403


def test_a_staff_account_without_a_role_sees_no_register(demo_plan):
    staff = User.objects.create_user("jen-staff", is_staff=True)
    client = _client(staff)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert client.get(reverse("admin:stack_stackitem_changelist")).status_code == 403
    assert client.get(reverse("admin:plans_plan_export", args=[demo_plan.pk])).status_code == 403
    url = reverse("admin:stack_stackitem_export", args=["csv"])
    assert client.get(url).status_code == 403
    # Moje indikátory lists nothing; the dashboard is refused.
    assert client.get(reverse("monitoring:mine")).context["states"] == []
    assert client.get(reverse("monitoring:dashboard", args=[demo_plan.slug])).status_code == 403


def test_a_guarantor_sees_their_registers_and_the_plans_list(demo_plan, guarantor):
    client = _client(guarantor)
    apps = {app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]}
    assert {"projects", "indicators", "plans"} <= apps
    assert "access" not in apps
    plans = client.get(reverse("monitoring:plans")).context["plans"]
    assert demo_plan in list(plans)
