"""``smartplan import-observations --plan SLUG file.csv [--dry-run]``."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from smartplan.observations.services import observations_import
from smartplan.plans.models import Plan
from smartplan.plans.plan_file_command import PlanFileImportCommand


class Command(PlanFileImportCommand):
    help = "Imports observations (series, period from, period to, value) from a CSV file."

    def import_file(self, *, plan: Plan, path: Path, dry_run: bool) -> str:
        result = observations_import(plan=plan, path=path, dry_run=dry_run)
        return _("Observations: %(created)s new, %(updated)s changed.") % {
            "created": result.created,
            "updated": result.updated,
        }
