"""A stack item's status is reverted through ``ChangeStackStatus``, its other fields as any
edit (checked by the model's rules), see ``core.history_revert``."""

from __future__ import annotations

from smartplan.core.history_revert import RevertTarget, revert_rule_default, revert_rule_register
from smartplan.stack.actions import ChangeStackStatus
from smartplan.stack.models import StackItem


def stack_item_revert(target: RevertTarget) -> None:
    obj = target.obj
    assert isinstance(obj, StackItem)
    values = dict(target.values)
    status = values.pop("status")
    if status != obj.status:
        stored = ChangeStackStatus(obj, status).execute()
        obj.version, obj.status, obj.updated_at = stored.version, stored.status, stored.updated_at
    rest = RevertTarget(obj=obj, values=values, user=target.user, reason=target.reason)
    if rest.changed():
        revert_rule_default(rest)


def history_rules_register() -> None:
    revert_rule_register("stack.stackitem", stack_item_revert)
