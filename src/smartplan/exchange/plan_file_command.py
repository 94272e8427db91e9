"""The shape shared by the commands that import one file into one plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError
from smartplan.plans.models import Plan


class PlanFileImportCommand(BaseCommand):
    """``smartplan <command> --plan SLUG FILE [--dry-run]``; refused files exit with 2."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def import_file(self, *, plan: Plan, path: Path, dry_run: bool) -> str:
        """Import and return the summary line."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(_("No plan “%(slug)s”.") % {"slug": options["plan"]})
        if not options["file"].is_file():
            raise CommandError(_("File %(file)s not found.") % {"file": options["file"]})
        try:
            summary = self.import_file(plan=plan, path=options["file"], dry_run=options["dry_run"])
        except ImportRefusedError as refused:
            self.stderr.write(str(refused))
            sys.exit(refused.exit_code)
        dry = _(" (dry run, nothing written)") if options["dry_run"] else ""
        self.stdout.write(summary + dry)
