"""``smartplan import-measurements --plan SLUG file.csv``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartplan.exchange.errors import ImportRefusedError
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.plans.models import Plan


class Command(BaseCommand):
    help = "Imports measured values from CSV (UTF-8 or Windows-1250, ; or , separated)."

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
            result = measurements_import(
                plan=plan, path=options["file"], dry_run=options["dry_run"]
            )
        except ImportRefusedError as refused:
            self.stderr.write(str(refused))
            sys.exit(refused.exit_code)
        self.stdout.write(
            _("Measurements: %(created)s new, %(updated)s changed, %(unchanged)s unchanged%(dry)s.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "dry": _(" (dry run, nothing written)") if options["dry_run"] else "",
            }
        )
