"""``smartplan serve``: serve the configured database with gunicorn."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from smartplan.core.data_dir import data_dir_ensure
from smartplan.core.server import serve


class Command(BaseCommand):
    help = "Serves smartplan with gunicorn (a production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir_ensure()  # the secret key is made now, before the web workers start
        call_command("collectstatic", interactive=False, verbosity=0)
        serve(host=options["host"], port=options["port"], workers=options["workers"])
