"""A stack status change based on an older version of the item is refused."""

import pytest

from smartplan.core.problems import ChangeRefusedError
from smartplan.stack.actions import ChangeStackStatus, stack_status_change
from smartplan.stack.models import StackItem, StackStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(demo_plan):
    return StackItem.objects.filter(plan=demo_plan, status=StackStatus.IDEA).order_by("number")[0]


def test_a_status_change_from_an_older_version_is_refused_with_the_status_now(item):
    seen = item.version
    colleague = StackItem.objects.get(pk=item.pk)
    colleague.status = StackStatus.RUNNING
    colleague.save()

    [problem] = ChangeStackStatus(item, "2", based_on_version=seen).check()
    assert problem.field == "based_on_version"
    assert "po jejím otevření změnil někdo jiný" in problem.message
    assert colleague.get_status_display() in problem.message
    with pytest.raises(ChangeRefusedError):
        stack_status_change(item=item, status=2, based_on_version=seen)
    item.refresh_from_db()
    assert item.status == StackStatus.RUNNING


def test_a_status_change_from_the_current_version_is_stored(item):
    changed = stack_status_change(item=item, status=2, based_on_version=item.version)
    assert changed.status == 2
    assert changed.version == item.version
