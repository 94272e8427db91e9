"""``smartplan recompute``: recompute the monitoring states of one plan or of all."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan


class Command(BaseCommand):
    help = "Recomputes values, progress, status and due dates of sub-indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", help="Slug of the plan; all plans when omitted.")
        parser.add_argument("--as-of", help="Evaluate as of this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.all()
        if options["plan"]:
            plans = plans.filter(slug=options["plan"])
            if not plans.exists():
                raise CommandError(_("No plan “%(slug)s”.") % {"slug": options["plan"]})
        as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else None
        for plan in plans:
            started = time.perf_counter()
            count = plan_states_recompute(plan=plan, as_of=as_of)
            self.stdout.write(
                _("%(plan)s: %(count)s sub-indicators in %(seconds)s s")
                % {
                    "plan": plan.slug,
                    "count": count,
                    "seconds": number_format(time.perf_counter() - started, 2),
                }
            )
