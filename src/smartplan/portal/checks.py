"""System check: the portal's look (Gov Design System, built from npm by scripts/assets) is
there; without it the public pages are served unstyled."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def assets_built(**kwargs: Any) -> list[CheckMessage]:
    if (settings.ASSETS_DIR / "gov" / "gov.css").exists():
        return []
    return [
        Warning(
            f"The public portal's look is not built: {settings.ASSETS_DIR}/gov/gov.css is missing.",
            hint="Run `bash scripts/assets` (npm ci and the build of frontend/).",
            id="portal.W001",
        )
    ]
