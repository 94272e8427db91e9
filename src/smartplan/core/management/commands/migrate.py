"""``smartplan migrate``: Django's migrate, creating the data directory first."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from smartplan.core.data_dir import data_dir_ensure


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        # SQLite cannot create the folder of its database file; settings no longer do it.
        data_dir_ensure()
        super().handle(*args, **options)
