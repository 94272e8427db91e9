"""Serve the WSGI application with gunicorn from inside the ``smartplan`` process."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from smartplan.wsgi import application

        return application


def _start_report_worker(server: Any) -> None:
    """Start ``smartplan report-worker`` beside the web workers (gunicorn's when_ready)."""
    command = [sys.executable, "-m", "smartplan.cli", "report-worker"]
    server.smartplan_report_worker = subprocess.Popen(command)


def _stop_report_worker(server: Any) -> None:
    worker = getattr(server, "smartplan_report_worker", None)
    if worker is not None:
        worker.terminate()
        worker.wait(timeout=60)


def serve(*, host: str, port: int, workers: int | None = None) -> None:
    """Run gunicorn in the foreground until interrupted, with a report worker beside it."""
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers or int(os.environ.get("SMARTPLAN_WORKERS", "2")),
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 120,
            "when_ready": _start_report_worker,
            "on_exit": _stop_report_worker,
        }
    ).run()
