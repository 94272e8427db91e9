import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date

from smartplan.indicators.models import Indicator
from smartplan.plans.models import Area, Plan
from smartplan.portal.http_cache import plan_stamp, site_stamp

pytestmark = pytest.mark.django_db


def _url(plan: Plan) -> str:
    return reverse("portal:plan", kwargs={"plan_slug": plan.slug})


def test_public_page_sends_validators_and_public_cache_control(demo_plan: Plan) -> None:
    response = Client().get(_url(demo_plan))
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=60" in cache_control
    assert "Cookie" in response["Vary"]


def test_a_repeated_request_gets_304_without_running_the_view(
    demo_plan: Plan, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    first = client.get(_url(demo_plan))
    with django_assert_max_num_queries(1):
        again = client.get(_url(demo_plan), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(_url(demo_plan), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    earlier = http_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())
    assert client.get(_url(demo_plan), HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    assert client.head(_url(demo_plan), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_change_in_the_plan_changes_the_etag(demo_plan: Plan) -> None:
    client = Client()
    before = client.get(_url(demo_plan))["ETag"]
    indicator = Indicator.objects.filter(plan=demo_plan).first()
    assert indicator is not None
    indicator.name = "Jiný název"
    indicator.save()
    response = client.get(_url(demo_plan), HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before


def test_a_bulk_write_moves_the_stamp(demo_plan: Plan) -> None:
    from smartplan.core.signals import plan_data_changed_send

    before = plan_stamp(plan_slug=demo_plan.slug)
    Indicator.objects.filter(plan=demo_plan).update(name="Hromadně")  # sends nothing itself
    plan_data_changed_send(model=Indicator, plan_id=demo_plan.pk)  # as every bulk writer does
    assert plan_stamp(plan_slug=demo_plan.slug) != before


def test_another_plans_change_does_not_change_the_etag(
    demo_plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    # Each write as its own committed transaction (the recompute after the commit runs).
    with django_capture_on_commit_callbacks(execute=True):
        other = Plan.objects.create(
            name="Jiný plán",
            slug="jiny-plan",
            territory_kind=Plan.TerritoryKind.MUNICIPALITY,
            territory_name="Obec Pokusná",
            ruian_code="563889",
            period_from=2021,
            period_to=2023,
            published=True,
        )
    client = Client()
    before = client.get(_url(demo_plan))["ETag"]
    other_before = plan_stamp(plan_slug=other.slug)
    with django_capture_on_commit_callbacks(execute=True):
        Area.objects.create(plan=other, name="Doprava")  # another plan's register
    assert plan_stamp(plan_slug=other.slug) != other_before  # the change is seen...
    # ... by the other plan only
    assert client.get(_url(demo_plan), HTTP_IF_NONE_MATCH=before).status_code == 304


def test_publishing_another_plan_changes_the_etag(demo_plan: Plan, other_plan: Plan) -> None:
    """Every page's plan switcher lists the published plans."""
    client = Client()
    before = client.get(_url(demo_plan))["ETag"]
    Plan.objects.filter(pk=other_plan.pk).update(published=True)  # no signal, no timestamp
    response = client.get(_url(demo_plan), HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert other_plan.name in response.content.decode()


def test_the_page_is_rendered_once_per_version(
    demo_plan: Plan, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    first = client.get(_url(demo_plan))
    with django_assert_max_num_queries(1):
        again = client.get(_url(demo_plan))
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_the_home_page_stamp_follows_every_plan(demo_plan: Plan) -> None:
    before = site_stamp()
    Area.objects.create(plan=demo_plan, name="Nová oblast")
    assert site_stamp() != before


def test_the_language_is_part_of_the_etag(demo_plan: Plan) -> None:
    client = Client()
    czech = client.get(_url(demo_plan))["ETag"]
    english = client.get("/en" + _url(demo_plan))["ETag"]
    assert czech != english


def test_an_unpublished_plan_has_no_validators(other_plan: Plan) -> None:
    response = Client().get(_url(other_plan))
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_logged_in_users_get_private_no_store_and_no_304(demo_plan: Plan) -> None:
    client = Client()
    etag = client.get(_url(demo_plan))["ETag"]
    client.force_login(User.objects.create_user("ctenar", password="x"))
    response = client.get(_url(demo_plan), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")
