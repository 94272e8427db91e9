"""``smartplan import FILE [--plan SLUG] [--dry-run] [--replace] [--create-missing]``
imports a plan workbook; with ``--register`` it imports a table in its own layout into one
register through a column mapping (``--mapping mapping.yaml``, else the one saved for the
plan and the table's headers; with neither it prints the proposed mapping as YAML and exits
with code 2)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.mapping_targets import TARGETS
from smartplan.exchange.mapping_yaml import mapping_yaml, mapping_yaml_load
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.plan_rows import ImportReport
from smartplan.exchange.table_import import MappingNeededError, table_import
from smartplan.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Imports a plan workbook (the export's layout, or a stack table in the report's "
        "layout), or with --register a table in its own layout through a column mapping."
    )

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
        parser.add_argument(
            "--register",
            choices=sorted(TARGETS),
            help="Import one table in its own layout into this register (needs --plan).",
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help="Column mapping (YAML, as printed when none is saved); saved for the plan.",
        )
        parser.add_argument("--sheet", help="The sheet (or Word table) to import.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            self.stderr.write(_("File %(file)s not found.") % {"file": path})
            sys.exit(2)
        started = time.perf_counter()
        try:
            if options["register"] or options["mapping"]:
                report = self._mapped(path, options)
            else:
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
            else _("Imported into “%(plan)s” in %(seconds)s s.")
            % {"plan": report.plan, "seconds": number_format(time.perf_counter() - started, 2)}
        )
        self.stdout.write(verdict)

    def _mapped(self, path: Path, options: dict[str, Any]) -> ImportReport:
        plan = Plan.objects.filter(slug=options["plan"] or "").first()
        if plan is None and options["plan"]:
            known = ", ".join(Plan.objects.order_by("slug").values_list("slug", flat=True))
            self.stderr.write(
                _("There is no plan “%(slug)s” (plans: %(known)s).")
                % {"slug": options["plan"], "known": known or "—"}
            )
            sys.exit(2)
        if plan is None:
            self.stderr.write(
                _("Name an existing plan with --plan: a mapped table is imported into it.")
            )
            sys.exit(2)
        mapping = None
        mapping_path: Path | None = options["mapping"]
        if mapping_path is not None:
            if not mapping_path.is_file():
                self.stderr.write(_("File %(file)s not found.") % {"file": mapping_path})
                sys.exit(2)
            mapping = mapping_yaml_load(
                mapping_path.read_text(encoding="utf-8"), source=mapping_path.name
            )
        try:
            result = table_import(
                path=path,
                plan=plan,
                register=options["register"],
                mapping=mapping,
                mapping_source=mapping_path.name if mapping_path else "",
                sheet=options["sheet"],
                dry_run=options["dry_run"],
                create_missing=options["create_missing"],
                source_name=path.name,
            )
        except MappingNeededError as needed:
            self.stdout.write(mapping_yaml(needed.proposal, source=path.name), ending="")
            self.stderr.write(str(needed))
            sys.exit(needed.exit_code)
        if result.used is not None:
            self.stderr.write(
                _("Used the mapping saved for these columns (confirmed with %(file)s).")
                % {"file": result.used.source_name}
            )
        if result.saved is not None:
            self.stderr.write(
                _(
                    "The mapping is saved for the plan; the next file with these columns "
                    "imports without it."
                )
            )
        return result.report
