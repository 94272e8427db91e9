"""``smartplan generate-synthetic``: plans for scale tests and benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.demo.synthetic import synthetic_plans_generate


class Command(BaseCommand):
    help = "Creates N synthetic plans, each K times the demo plan's size, deterministic per seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plans", type=int, default=1)
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--measurements-per-sub-indicator",
            type=int,
            default=12,
            help="Measured values per sub-indicator (the demo has none; monthly for a year).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["plans"] < 1 or options["scale"] < 1:
            raise CommandError(_("--plans and --scale must be at least 1."))
        started = time.perf_counter()
        try:
            summaries = synthetic_plans_generate(
                plans=options["plans"],
                scale=options["scale"],
                seed=options["seed"],
                measurements_per_sub=options["measurements_per_sub_indicator"],
            )
        except SmartplanError as exc:
            raise CommandError(str(exc)) from None
        for summary in summaries:
            rows = sum(summary.counts.values())
            self.stdout.write(
                _("%(slug)s: %(rows)s rows") % {"slug": summary.plan.slug, "rows": rows}
            )
        self.stdout.write(
            _("Done in %(seconds)s s.")
            % {"seconds": number_format(time.perf_counter() - started, 1)}
        )
