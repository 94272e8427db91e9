"""Changing a stack item's status: a known status only, through the action everywhere."""

import pytest
from django.urls import reverse

from smartplan.core.problems import ChangeRefusedError
from smartplan.stack.actions import ChangeStackStatus, stack_status_change
from smartplan.stack.models import StackItem, StackStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(demo_plan):
    return StackItem.objects.filter(plan=demo_plan, status=StackStatus.IDEA).order_by("number")[0]


@pytest.mark.parametrize("status", [0, 5, "x", None])
def test_an_unknown_status_is_refused_and_nothing_changes(item, status):
    [problem] = ChangeStackStatus(item, status).check()
    assert problem.field == "status"
    assert "Neznámý stav zásobníku" in problem.message
    with pytest.raises(ChangeRefusedError):
        stack_status_change(item=item, status=status)
    item.refresh_from_db()
    assert item.status == StackStatus.IDEA


def test_a_known_status_is_stored(item):
    assert ChangeStackStatus(item, "1").check() == []
    stack_status_change(item=item, status=StackStatus.RUNNING)
    item.refresh_from_db()
    assert item.status == StackStatus.RUNNING


def test_the_admin_changes_the_status_through_the_action(coordinator_client, item, monkeypatch):
    calls = []
    original = ChangeStackStatus.execute

    def spy(self):
        calls.append(self.status)
        return original(self)

    monkeypatch.setattr(ChangeStackStatus, "execute", spy)
    url = reverse("admin:stack_stackitem_change", args=[item.pk])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"status": "2", "note": "Čeká na dotaci."})
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.status, item.note) == (StackStatus.WAITING, "Čeká na dotaci.")
    assert calls == [2]
