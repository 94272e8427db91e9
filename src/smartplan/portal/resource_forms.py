"""The public resource database's filter form (GET)."""

from __future__ import annotations

from smartplan.portal.filter_forms import PlanFilterForm


class ResourceFilterForm(PlanFilterForm):
    """Search, area and flagship project."""
