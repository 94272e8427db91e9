from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

READS = ("GET", "HEAD", "OPTIONS")


class _LoginReadsPermissionWrites(BasePermission):
    """Reading needs a login; writing needs the model permission ``required`` names."""

    def required(self, request: Request) -> str:
        raise NotImplementedError

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in READS:
            return True
        return bool(user.has_perm(self.required(request)))


class CanWriteObservations(_LoginReadsPermissionWrites):
    """Reading needs a login; writing needs the permission to add observations."""

    def required(self, request: Request) -> str:
        return "observations.add_observation"


class CanWriteMeasurements(_LoginReadsPermissionWrites):
    """Reading needs a login; adding or changing values needs that model permission."""

    def required(self, request: Request) -> str:
        action = "add" if request.method == "POST" else "change"
        return f"indicators.{action}_measurement"
