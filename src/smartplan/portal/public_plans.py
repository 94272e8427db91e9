"""Which plans the public portal shows: published ones only; any other address is a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from smartplan.plans.models import Plan


def public_plan_get(*, slug: str) -> Plan:
    """The published plan ``slug``; a private or unknown plan is not found (404), so the
    public cannot tell the two apart."""
    plan = Plan.objects.filter(slug=slug, published=True).select_related("owner").first()
    if plan is None:
        raise Http404(_("No published plan has this address."))
    return plan
