"""The public steering group: members, meetings, decisions; contacts only when public."""

import re

from django.core.cache import cache
from django.urls import reverse

from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.portal import governance_views, paging
from smartplan.portal.tests.czech_default import czech_default  # noqa: F401


def _page(client, plan):
    return client.get(reverse("portal:steering_group", args=[plan.slug]))


def test_members_meetings_and_decisions(client, demo_plan):
    response = _page(client, demo_plan)
    assert response.status_code == 200
    html = response.content.decode()
    for seat in SteeringGroupMember.objects.filter(plan=demo_plan):
        assert seat.role in html
    for decision in Decision.objects.filter(plan=demo_plan):
        assert decision.number in html


def test_contact_details_only_for_public_contacts(client, demo_plan):
    seat = SteeringGroupMember.objects.filter(plan=demo_plan, person__isnull=False).first()
    person = seat.person
    person.email, person.phone, person.publish_contact = (
        "tajny@example.invalid",
        "+420 111 222 333",
        False,
    )
    person.save()
    html = _page(client, demo_plan).content.decode()
    assert seat.person.name in html
    assert "tajny@example.invalid" not in html
    assert "111 222 333" not in html
    person.publish_contact = True
    person.save()
    # The plan's stamp moves when the change commits, which a test's transaction never does.
    cache.clear()
    html = _page(client, demo_plan).content.decode()
    assert 'href="mailto:tajny@example.invalid"' in html
    assert "+420 111 222 333" in html


def test_private_plan_is_not_found(client, demo_plan):
    demo_plan.published = False
    demo_plan.save(update_fields=["published"])
    assert _page(client, demo_plan).status_code == 404


def _seat_roles(html):
    return re.findall(r'<tr data-member>\s*<th scope="row">([^<]*)</th>', html)


def test_members_come_in_pages_of_their_own(client, demo_plan, monkeypatch):
    """Members and meetings are paged each on its own: a link of one list keeps the other's
    page, lands on its list, and the two navigations have names of their own."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    monkeypatch.setattr(governance_views, "MEETINGS_PER_PAGE", 1)
    for number in range(2, 4):  # three meetings, so the meetings have pages too
        Meeting.objects.create(
            plan=demo_plan, title=f"Jednání č. {number}", date=f"202{number}-03-01"
        )
    roles = list(
        SteeringGroupMember.objects.filter(plan=demo_plan)
        .order_by("order", "role", "pk")
        .values_list("role", flat=True)
    )
    assert len(roles) == 7  # three pages of three

    first = _page(client, demo_plan).content.decode()
    assert _seat_roles(first) == roles[:3]
    members_nav = re.search(
        r'<nav class="pagination" aria-label="Stránky členů">.*?</nav>', first, re.S
    )
    meetings_nav = re.search(
        r'<nav class="pagination" aria-label="Stránky jednání">.*?</nav>', first, re.S
    )
    assert members_nav is not None
    assert meetings_nav is not None
    assert '<a href="?clenove=2#clenove" rel="next">Další stránka</a>' in members_nav.group(0)
    assert '<a href="?strana=2#jednani" rel="next">Další stránka</a>' in meetings_nav.group(0)
    assert "<title>Řídící skupina – členové, strana 1 z 3 – jednání, strana 1 z 3 – " in first

    url = reverse("portal:steering_group", args=[demo_plan.slug])
    third = client.get(url, {"strana": "2", "clenove": "3"}).content.decode()
    assert _seat_roles(third) == roles[6:]
    assert third.count('<article class="meeting"') == 1
    # each list's links keep the other's page
    assert 'href="?strana=2&amp;clenove=2#clenove" rel="prev"' in third
    assert 'href="?clenove=3&amp;strana=1#jednani" rel="prev"' in third
    assert "členové, strana 3 z 3 – jednání, strana 2 z 3" in third
    assert "Členové řídící skupiny – strana 3 z 3" in third  # the table's caption


def test_a_small_group_has_no_member_pages(client, demo_plan):
    html = _page(client, demo_plan).content.decode()
    assert len(_seat_roles(html)) == SteeringGroupMember.objects.filter(plan=demo_plan).count()
    assert "Stránky členů" not in html
    assert "<title>Řídící skupina – " in html
    assert "strana" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
