"""``smartplan load-demo``: migrate the database and load the 2020 Liberec plan."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_load


class Command(BaseCommand):
    help = "Creates and migrates the database, loads the demo plan and the demo account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the demo plan first and load it anew (edits to it are lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = demo_load(replace=options["replace"])
        except SmartplanError as exc:
            raise CommandError(str(exc)) from None
        if result.plan_created:
            self.stdout.write(_("Loaded the demo plan “%(plan)s”.") % {"plan": result.plan})
        else:
            self.stdout.write(
                _("The demo plan “%(plan)s” is already loaded; nothing changed.")
                % {"plan": result.plan}
            )
        self.stdout.write(
            _("Demo login: %(user)s / %(password)s")
            % {"user": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
        for account in result.accounts[1:]:
            self.stdout.write(
                _("Demo login of a %(role)s: %(user)s / %(password)s")
                % {"role": account.role, "user": account.username, "password": DEMO_PASSWORD}
            )
