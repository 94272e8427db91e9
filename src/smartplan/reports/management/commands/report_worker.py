"""``smartplan report-worker``: make the report files asked for in the editing interface.

Between jobs it also recomputes the stored monitoring states of plans marked stale, whose
recompute after a change did not happen (the process that made the change died).
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from smartplan.monitoring.current_states import plans_states_current
from smartplan.reports.report_jobs import report_job_run_next, report_jobs_clean


class Command(BaseCommand):
    help = (
        "Makes the PDF and DOCX files of reports asked for in the editing interface and "
        "recomputes monitoring states left stale. "
        "`smartplan serve` starts one; run more on other machines if needed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Make every waiting file, then stop."
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(_signum: int, _frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        report_jobs_clean()
        while not stopping:
            close_old_connections()
            job = report_job_run_next()
            if job is not None:
                self.stdout.write(f"{job.report} ({job.format}): {job.get_state_display()}")
                continue
            plans_states_current()  # one query when every plan is current
            if options["once"]:
                break
            time.sleep(options["interval"])
