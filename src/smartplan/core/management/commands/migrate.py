"""``smartplan migrate``: Django's migrate, creating the data directory first."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from smartplan.core.data_dir import data_dir_ensure


class Command(MigrateCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        # SQLite cannot create the folder of its database file, and settings create nothing;
        # before the system checks, which already connect.
        data_dir_ensure()
        return super().execute(*args, **options)
