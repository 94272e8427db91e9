"""``smartplan remind``: e-mail the values that are due soon or overdue (safe from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartplan.monitoring.reminders import reminders_send


class Command(BaseCommand):
    help = "Sends reminders of due and overdue indicator values; each one only once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    _("--today expects a date YYYY-MM-DD, not “%(value)s”.")
                    % {"value": options["today"]}
                ) from None
        run = reminders_send(today=today)
        self.stdout.write(
            _(
                "Reminders sent: %(sent)s, sent before: %(before)s, without an e-mail address: "
                "%(missing)s, failed: %(failed)s."
            )
            % {
                "sent": run.sent,
                "before": run.already_sent,
                "missing": run.without_recipient,
                "failed": run.failed,
            }
        )
        if run.failed:
            raise CommandError(_("Some reminders could not be sent; they will be retried."))
