"""``smartplan export --plan SLUG -o plan.xlsx``: the whole plan as one workbook, XLSX or
LibreOffice Calc ODS (``--format ods``, or an output file named ``*.ods``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.plans.models import Plan

FORMATS = ("xlsx", "ods")


def export_format(chosen: str | None, output: Path) -> str:
    """The format asked for, else the output file's suffix when it names one, else XLSX."""
    if chosen:
        return chosen
    suffix = output.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "xlsx"


class Command(BaseCommand):
    help = "Exports a plan as an XLSX or ODS workbook (or the empty template with --template)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help="Slug of the plan.")
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--template", action="store_true", help="Write the empty template.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="xlsx or ods; by default the output file's suffix, else xlsx.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = None
        if not options["template"]:
            if not options["plan"]:
                raise CommandError(_("Name the plan with --plan SLUG (or use --template)."))
            plan = Plan.objects.filter(slug=options["plan"]).first()
            if plan is None:
                raise CommandError(_("No plan “%(slug)s”.") % {"slug": options["plan"]})
        started = time.perf_counter()
        if export_format(options["format"], options["output"]) == "ods":
            from smartplan.exchange.ods_writer import plan_ods_save

            plan_ods_save(plan=plan, target=options["output"])
        else:
            plan_workbook_save(plan=plan, target=options["output"])
        self.stdout.write(
            _("Written %(file)s in %(seconds)s s.")
            % {
                "file": options["output"],
                "seconds": number_format(time.perf_counter() - started, 2),
            }
        )
