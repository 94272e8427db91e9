from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class CanWriteObservations(BasePermission):
    """Reading needs a login; writing needs the permission to add observations."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return bool(user.has_perm("observations.add_observation"))


class CanWriteMeasurements(BasePermission):
    """Reading needs a login; adding or changing values needs that model permission."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        codename = "add_measurement" if request.method == "POST" else "change_measurement"
        return bool(user.has_perm(f"indicators.{codename}"))
