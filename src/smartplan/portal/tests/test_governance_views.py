"""The public steering group: members, meetings, decisions; contacts only when public."""

from django.core.cache import cache
from django.urls import reverse

from smartplan.governance.models import Decision, SteeringGroupMember
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
