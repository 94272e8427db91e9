"""``smartplan demo``: everything needed to look at the demo in a browser: the public portal's
address first, then the editing interface, the dashboard and a login per role."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from smartplan.core.server import serve
from smartplan.demo.services import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    DEMO_USERNAME,
    demo_fictional_plan_ensure,
    demo_role_accounts_ensure,
)
from smartplan.plans.models import Plan


class Command(BaseCommand):
    help = "Migrates, loads the demo plan and serves it on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_demo", stdout=self.stdout)
        plan = Plan.objects.get(slug=DEMO_SLUG)
        fictional = demo_fictional_plan_ensure()
        accounts = demo_role_accounts_ensure(plan=plan)
        call_command("collectstatic", interactive=False, verbosity=0)
        base = f"http://127.0.0.1:{options['port']}"
        self.stdout.write("")
        # The public portal first: what anyone may open without a login.
        self.stdout.write(_("Public portal (no login): %(address)s") % {"address": f"{base}/"})
        for shown in (plan, fictional):
            self.stdout.write(
                _("  %(plan)s: %(address)s")
                % {
                    "plan": shown.name,
                    "address": f"{base}{reverse('portal:plan', args=[shown.slug])}",
                }
            )
        self.stdout.write(_("smartplan demo runs at %(address)s") % {"address": f"{base}/admin/"})
        self.stdout.write(
            _("Monitoring dashboard: %(address)s")
            % {"address": f"{base}/monitoring/plan/{DEMO_SLUG}/"}
        )
        self.stdout.write(
            _("Reports (the annual report 2020 in PDF and DOCX): %(address)s")
            % {"address": f"{base}/admin/reports/report/"}
        )
        self.stdout.write(
            _("Log in as %(user)s with the password %(password)s")
            % {"user": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
        self.stdout.write(_("A login for each role (the same password):"))
        for account in accounts:
            self.stdout.write(
                _("  %(role)s: %(address)s – %(user)s / %(password)s")
                % {
                    "role": account.role,
                    "address": f"{base}{account.path}",
                    "user": account.username,
                    "password": DEMO_PASSWORD,
                }
            )
        self.stdout.write(_("Stop it with Ctrl+C."))
        self.stdout.flush()
        serve(host="127.0.0.1", port=options["port"], workers=2)
