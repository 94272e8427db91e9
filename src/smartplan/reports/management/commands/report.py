"""``smartplan report annual|quarterly --plan SLUG --year Y [--quarter Q] --format F -o FILE``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.plans.models import Plan
from smartplan.reports.services import report_formats, report_get_or_create, report_render


class Command(BaseCommand):
    help = "Generates the annual report or a quarterly monitoring report from the data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["annual", "quarterly"])
        parser.add_argument("--plan", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int)
        parser.add_argument("--format", choices=report_formats(), default="pdf")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(_("No plan “%(slug)s”.") % {"slug": options["plan"]})
        started = time.perf_counter()
        try:
            report = report_get_or_create(
                plan=plan, kind=options["kind"], year=options["year"], quarter=options["quarter"]
            )
            content = report_render(report=report, fmt=options["format"])
        except SmartplanError as exc:
            raise CommandError(str(exc)) from None
        options["output"].write_bytes(content)
        self.stdout.write(
            _("Written %(file)s (%(report)s) in %(seconds)s s.")
            % {
                "file": options["output"],
                "report": report,
                "seconds": number_format(time.perf_counter() - started, 1),
            }
        )
