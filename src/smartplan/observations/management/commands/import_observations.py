"""``smartplan import-observations --plan SLUG file.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.observations.services import observations_import
from smartplan.plans.models import Plan


class Command(BaseCommand):
    help = "Imports observations (series, period from, period to, value) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(_("No plan “%(slug)s”.") % {"slug": options["plan"]})
        if not options["file"].is_file():
            raise CommandError(_("File %(file)s not found.") % {"file": options["file"]})
        try:
            result = observations_import(
                plan=plan, path=options["file"], dry_run=options["dry_run"]
            )
        except SmartplanError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Observations: %(created)s new, %(updated)s changed%(dry)s.")
            % {
                "created": result.created,
                "updated": result.updated,
                "dry": _(" (dry run, nothing written)") if options["dry_run"] else "",
            }
        )
