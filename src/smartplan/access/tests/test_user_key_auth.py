"""A user's own API key: the user and their roles in one query, DRF's refusals otherwise."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from smartplan.access.services import plan_role_grant
from smartplan.access.user_key_auth import user_with_roles
from smartplan.access.user_roles import user_roles
from smartplan.projects.models import FlagshipProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarantor(demo_plan, django_user_model):
    user = django_user_model.objects.create_user("garant-klic", email="g@example.invalid")
    projects = list(FlagshipProject.objects.filter(plan=demo_plan).order_by("number")[:2])
    plan_role_grant(plan=demo_plan, user=user, role="guarantor", projects=projects)
    plan_role_grant(plan=demo_plan, user=user, role="steering")
    return user, Token.objects.create(user=user).key, projects


def test_one_query_reads_the_user_and_every_role(guarantor, demo_plan, django_assert_num_queries):
    user, key, projects = guarantor
    with django_assert_num_queries(1):
        found = user_with_roles(key)
        roles = user_roles(found)  # attached: no second query
    assert found == user
    assert (found.username, found.email, found.is_active) == (
        "garant-klic",
        "g@example.invalid",
        True,
    )
    assert found.date_joined == user.date_joined  # converted like any model field
    assert roles.plans == {"guarantor": {demo_plan.pk}, "steering": {demo_plan.pk}}
    assert roles.projects == {p.pk for p in projects}


def test_a_key_without_roles_and_an_unknown_key(django_user_model):
    user = django_user_model.objects.create_user("bez-roli")
    key = Token.objects.create(user=user).key
    assert not user_roles(user_with_roles(key)).any
    assert user_with_roles("0" * 40) is None


def test_unknown_key_and_inactive_account_are_401(guarantor, demo_plan):
    user, key, _projects = guarantor
    url = reverse("api:flagship-projects-list", args=[demo_plan.slug])
    assert APIClient().get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert APIClient().get(url, HTTP_AUTHORIZATION="Token " + "a" * 40).status_code == 401
    user.is_active = False
    user.save()
    assert APIClient().get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_scope_keys_are_equal_exactly_for_equal_roles(guarantor, demo_plan, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from smartplan.access.scopes import rows_scope_key

    user, _key, projects = guarantor
    twin = django_user_model.objects.create_user("dvojce")
    plan_role_grant(plan=demo_plan, user=twin, role="guarantor", projects=projects)
    plan_role_grant(plan=demo_plan, user=twin, role="steering")
    other = django_user_model.objects.create_user("jiny-garant")
    plan_role_grant(plan=demo_plan, user=other, role="guarantor", projects=projects[:1])
    boss = django_user_model.objects.create_superuser("spravce-k", "s@example.invalid", "x")
    keys = [rows_scope_key(u) for u in (user, twin, other, AnonymousUser(), boss)]
    assert keys[0] == keys[1]
    assert len({keys[0], keys[2], keys[3], keys[4]}) == 4
