"""Serve the WSGI application with gunicorn from inside the ``smartplan`` process."""

from __future__ import annotations

import os
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


def serve(*, host: str, port: int, workers: int | None = None) -> None:
    """Run gunicorn in the foreground until interrupted."""
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers or int(os.environ.get("SMARTPLAN_WORKERS", "2")),
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 120,
        }
    ).run()
