"""The public resource database: its links filtered and searched, in bounded queries."""

from __future__ import annotations

from django.db.models import QuerySet

from smartplan.plans.models import Area, Plan
from smartplan.portal.accent_fold import folded_search
from smartplan.projects.models import FlagshipProject
from smartplan.resources.models import Resource


def resource_rows(
    *,
    plan: Plan,
    area: Area | None = None,
    flagship: FlagshipProject | None = None,
    query: str = "",
) -> QuerySet[Resource]:
    """The resources of ``plan`` in the area / of the project asked, whose title, address or
    description contain every word of ``query`` (accents and case ignored)."""
    rows = Resource.objects.filter(plan=plan)
    if area is not None:
        rows = rows.filter(area=area)
    if flagship is not None:
        rows = rows.filter(flagship=flagship)
    rows = folded_search(rows, fields=["title", "description", "url"], query=query)
    return rows.select_related("area", "flagship").order_by("area__order", "area__name", "title")
