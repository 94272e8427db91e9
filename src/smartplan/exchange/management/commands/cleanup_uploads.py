"""``smartplan cleanup-uploads``: remove uploads whose preview was never confirmed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from smartplan.exchange.upload_store import uploads_expire


class Command(BaseCommand):
    help = (
        "Removes uploaded files whose preview was not confirmed in time (every new upload "
        "does it too; run it from cron where uploads are rare)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = uploads_expire()
        self.stdout.write(_("Expired uploads removed: %(count)s") % {"count": removed})
