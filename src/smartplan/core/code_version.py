"""Which deployment is running: cached pages carry it in their keys, so a deployment that
changes a template or a translation never serves a page rendered by the one before."""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path


def _code_version() -> str:
    """The installed version and the newest file of the package: a deployment that changes
    a template changes every key, even without a new version number."""
    try:
        version = metadata.version("smartplan")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        version = "source"
    newest = 0.0
    for folder, _dirs, files in os.walk(Path(__file__).resolve().parent.parent):
        for name in files:
            if name.endswith((".py", ".html", ".mo", ".css")):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime)
    return f"{version}-{newest:.0f}"


CODE_VERSION = _code_version()
