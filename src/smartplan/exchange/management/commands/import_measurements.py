"""``smartplan import-measurements --plan SLUG file.csv [--dry-run]``."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from smartplan.exchange.measurements_csv import measurements_import
from smartplan.plans.models import Plan
from smartplan.plans.plan_file_command import PlanFileImportCommand


class Command(PlanFileImportCommand):
    help = "Imports measured values from CSV (UTF-8 or Windows-1250, ; or , separated)."

    def import_file(self, *, plan: Plan, path: Path, dry_run: bool) -> str:
        result = measurements_import(plan=plan, path=path, dry_run=dry_run)
        return _("Measurements: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
