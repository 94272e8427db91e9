"""The accounts' version: one number that rises with every change of who may do what - users,
groups, their permissions, two-factor devices and the models other apps add (the access
app's roles) - in the transaction of the change.

A page kept in a cache (``core.list_page_cache``) shows the names of other accounts (who
entered a value) and was rendered for its reader's permissions; the two-factor gate asks
whether an account has a device. None of it is a plan's data, so the plans' stamps do not
move with it; this number does, for every writer (the editing interface, the
``createsuperuser`` and ``changepassword`` commands, a shell), because it follows the
models' signals. A bulk write sends none: its writer calls :func:`accounts_version_bump`
(the access app's ``editors_ensure`` does). A login only records its time (``last_login``),
which no page shows: it does not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def accounts_follow(model: type[Model], *, relations: Sequence[str] = ()) -> None:
    """Raise the version with every save and delete of ``model`` and every change of its
    many-to-many ``relations`` (called once per model, when its app is ready)."""
    label = model._meta.label_lower
    post_save.connect(_saved, sender=model, dispatch_uid=f"accounts-saved-{label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"accounts-deleted-{label}")
    for name in relations:
        through = getattr(model, name).through
        m2m_changed.connect(
            _relation_changed, sender=through, dispatch_uid=f"accounts-m2m-{label}-{name}"
        )


def accounts_signals_connect() -> None:
    """Follow users, groups, their permissions and two-factor devices (once, at start)."""
    accounts_follow(get_user_model(), relations=("groups", "user_permissions"))
    accounts_follow(Group, relations=("permissions",))
    accounts_follow(TOTPDevice)
