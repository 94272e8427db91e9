"""The policy as django-rules permissions: ``user.has_perm(perm, obj)`` asks these.

Every register of :data:`smartplan.access.policy.KINDS` gets ``<app>.<action>_<model>`` for
view, add, change and delete; the plan gets ``plans.import_plan`` and ``plans.export_plan``,
the report ``reports.approve_report``; each app label gets a rule for ``has_module_perms``
(the editing interface shows an app when the user could view one of its registers).
``rules.permissions.ObjectPermissionBackend`` (settings.AUTHENTICATION_BACKENDS) answers
``has_perm`` with them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from rules import predicate, set_perm  # type: ignore[attr-defined]

from smartplan.access import policy
from smartplan.access.scopes import object_permitted

CUSTOM = (
    ("plans.import_plan", policy.IMPORT, "plans.plan"),
    ("plans.export_plan", policy.EXPORT, "plans.plan"),
    ("reports.approve_report", policy.APPROVE, "reports.report"),
)


def _predicate(name: str, action: str, label: str) -> Any:
    def check(user: Any, obj: Any = None) -> bool:
        return object_permitted(user, action, label, obj)

    return predicate(  # type: ignore[no-untyped-call]
        check, name=name
    )


def _module_predicate(app_label: str, labels: list[str]) -> Any:
    def check(user: Any) -> bool:
        return any(
            object_permitted(user, action, label, None)
            for label in labels
            for action in (policy.VIEW, policy.CHANGE)
        )

    return predicate(  # type: ignore[no-untyped-call]
        check, name=f"module {app_label}"
    )


def _set(name: str, rule: Any) -> None:
    # set_perm, not add_perm: ready() may run twice (tests that reload apps).
    set_perm(name, rule)  # type: ignore[no-untyped-call]


def permissions_add() -> list[str]:
    """Add a permission for every register and action; returns their names."""
    names = []
    by_app: dict[str, list[str]] = {}
    for label in policy.KINDS:
        app_label, model_name = label.split(".")
        if not apps.is_installed(f"smartplan.{app_label}") and app_label != "access":
            continue
        by_app.setdefault(app_label, []).append(label)
        for action in sorted(policy.CRUD):
            name = f"{app_label}.{action}_{model_name}"
            _set(name, _predicate(name, action, label))
            names.append(name)
    for name, action, label in CUSTOM:
        _set(name, _predicate(name, action, label))
        names.append(name)
    for app_label, labels in by_app.items():
        _set(app_label, _module_predicate(app_label, labels))
    return names


PERMISSIONS = permissions_add()
