"""The public steering-group page: members, meetings and decisions, in bounded queries.

People's e-mail and phone are public only when the person is marked as a public contact
(``Person.publish_contact``); :class:`MemberRow` carries them only then, so no template can
show them by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from smartplan.governance.models import Decision, Meeting, SteeringGroupMember
from smartplan.organisations.models import Person
from smartplan.plans.models import Plan


@dataclass(frozen=True)
class MemberRow:
    role: str
    name: str
    function: str
    organisation: str
    email: str  # blank unless the person is a public contact
    phone: str  # blank unless the person is a public contact


def _public_contact(person: Person | None) -> tuple[str, str]:
    if person is None or not person.publish_contact:
        return "", ""
    return person.email, person.phone


def steering_group_seats(*, plan: Plan) -> QuerySet[SteeringGroupMember]:
    """The steering group's seats in their order, not read yet (to be paged), each read with
    its holder and organisation in the same query."""
    return (
        SteeringGroupMember.objects.filter(plan=plan)
        .select_related("person__organisation", "organisation")
        .order_by("order", "role", "pk")
    )


def member_rows(seats: Iterable[SteeringGroupMember]) -> list[MemberRow]:
    """What may be shown of each seat's holder (no query: the seats come with them)."""
    rows = []
    for seat in seats:
        person = seat.person
        organisation = seat.organisation or (person.organisation if person else None)
        email, phone = _public_contact(person)
        rows.append(
            MemberRow(
                role=seat.role,
                name=person.name if person else "",
                function=person.function if person else "",
                organisation=organisation.name if organisation else "",
                email=email,
                phone=phone,
            )
        )
    return rows


def steering_group_meetings(*, plan: Plan) -> QuerySet[Meeting]:
    """The meetings, newest first, not read yet (to be paged); each page read brings its
    meetings' decisions in one more query (``meeting.decisions.all()``)."""
    return (
        Meeting.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "responsible", "responsible_organisation"
                ).order_by("number"),
            )
        )
        .order_by("-date", "title")
    )
