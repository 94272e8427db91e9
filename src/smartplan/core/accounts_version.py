"""The accounts' version: one number that rises with every change of users, groups and their
permissions, in the transaction of the change.

A page kept in a cache (``core.list_page_cache``) shows the names of other accounts (who
entered a value) and depends on Django's own permissions of its reader (per user and per
group). Neither is a plan's data, so the plans' stamps do not move with them; this number
does, for every writer (the editing interface, the ``createsuperuser`` and ``changepassword``
commands, a shell), because it follows the models' signals. A login only records its time
(``last_login``), which no page shows: it does not count.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from smartplan.core.models import AccountsVersion

_ROW = 1


def accounts_version_bump() -> None:
    """Raise the version (inside the caller's transaction); the row comes back if missing."""
    moved = AccountsVersion.objects.filter(pk=_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not moved:
        AccountsVersion.objects.get_or_create(pk=_ROW, defaults={"version": 2})


def _saved(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= {"last_login"}:
        return
    accounts_version_bump()


def _deleted(sender: Any, **kwargs: Any) -> None:
    accounts_version_bump()


def _relation_changed(sender: Any, **kwargs: Any) -> None:
    if str(kwargs.get("action", "")).startswith("post_"):
        accounts_version_bump()


def accounts_signals_connect() -> None:
    """Follow users, groups and their permissions (called once, at start)."""
    user = get_user_model()
    for model in (user, Group):
        post_save.connect(_saved, sender=model, dispatch_uid=f"accounts-saved-{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"accounts-deleted-{model.__name__}"
        )
    relations = [Group.permissions.through]
    for name in ("groups", "user_permissions"):
        field = getattr(user, name, None)
        if field is not None:
            relations.append(field.through)
    for through in relations:
        m2m_changed.connect(
            _relation_changed, sender=through, dispatch_uid=f"accounts-m2m-{through.__name__}"
        )
