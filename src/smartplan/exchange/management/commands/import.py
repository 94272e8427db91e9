"""``smartplan import plan.xlsx [--plan SLUG] [--dry-run] [--replace] [--create-missing]``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.plan_import import workbook_import


class Command(BaseCommand):
    help = "Imports a plan workbook (the export's layout, or a stack table in the report's layout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", help="Slug of the plan; else the workbook's Plán sheet.")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument(
            "--replace", action="store_true", help="Also remove rows the workbook no longer has."
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create areas, organisations, departments and funding sources it names.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            self.stderr.write(_("File %(file)s not found.") % {"file": path})
            sys.exit(2)
        started = time.perf_counter()
        try:
            report = workbook_import(
                path=path,
                plan_slug=options["plan"],
                dry_run=options["dry_run"],
                replace=options["replace"],
                create_missing=options["create_missing"],
            )
        except ImportRefusedError as refused:
            self.stderr.write(str(refused))
            sys.exit(refused.exit_code)
        for line in report.lines():
            self.stdout.write(line)
        verdict = (
            _("Dry run: nothing was written.")
            if options["dry_run"]
            else _("Imported into “%(plan)s” in %(seconds).2f s.")
            % {"plan": report.plan, "seconds": time.perf_counter() - started}
        )
        self.stdout.write(verdict)
