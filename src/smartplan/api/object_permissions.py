"""Asking whether a user may act on one row: ``user.has_perm(perm, obj)``.

The access app makes that question object-aware (django-rules' ``ObjectPermissionBackend``).
Without it, Django's ``ModelBackend`` answers no to every question about an object, so
the answer falls back to the model permission, the same rule ``rows_permitted`` falls back
to (``smartplan.core.access_scope``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model

OBJECT_BACKEND = "rules.permissions.ObjectPermissionBackend"


def object_permitted(user: Any, perm: str, obj: Model) -> bool:
    """May ``user`` hold ``perm`` ("projects.change_activity", …) on ``obj``?"""
    if user is None or (user.is_authenticated and not user.is_active):
        return False  # the public (anonymous) is asked like anyone: the roles answer
    if user.has_perm(perm, obj):
        return True
    if OBJECT_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return bool(user.has_perm(perm))
    return False
