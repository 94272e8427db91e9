"""The quarterly report reads the stack's status changes and the money spent within the
quarter from the history, at the quarter's first and last day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.reports.quarter_changes import money_spent, stack_changes
from smartplan.reports.report_data import report_data
from smartplan.reports.services import report_get_or_create, report_render
from smartplan.stack.models import StackItem, StackStatus

pytestmark = pytest.mark.django_db
Q1_2021 = (dt.date(2021, 1, 1), dt.date(2021, 3, 31))


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _dated(model, obj, day):
    """Date the row's newest history record ``day`` (as if the change was made then)."""
    record = model.history.filter(id=obj.pk).latest("history_id")
    model.history.filter(history_id=record.history_id).update(history_date=_at(day))


def _stack_item(plan):
    item = StackItem.objects.filter(plan=plan, status=StackStatus.IDEA).order_by("number").first()
    StackItem.history.filter(id=item.pk).update(history_date=_at(dt.date(2020, 6, 1)))
    return item


def test_stack_status_changes_within_the_quarter_from_to(demo_plan):
    item = _stack_item(demo_plan)
    item.status = StackStatus.WAITING
    item.save()
    _dated(StackItem, item, dt.date(2021, 2, 10))  # inside the quarter
    item.status = 1
    item.save()
    _dated(StackItem, item, dt.date(2021, 5, 2))  # after it
    created, changes = stack_changes(plan=demo_plan, start=Q1_2021[0], end=Q1_2021[1])
    mine = [c for c in changes if c.item.pk == item.pk]
    assert [(c.before, c.after) for c in mine] == [(int(StackStatus.IDEA), 2)]
    assert item.pk not in {i.pk for i in created}
    # The second quarter sees the second change only.
    _created, later = stack_changes(
        plan=demo_plan, start=dt.date(2021, 4, 1), end=dt.date(2021, 6, 30)
    )
    assert [(c.before, c.after) for c in later if c.item.pk == item.pk] == [(2, 1)]


def test_money_spent_within_the_quarter_is_the_change_of_the_yearly_fulfilment(demo_plan):
    activity = Activity.objects.filter(plan=demo_plan).exclude(fulfilments__year=2021).first()
    assert activity is not None
    fulfilment = ActivityFulfilment.objects.create(
        activity=activity, year=2021, spent=Decimal(100_000)
    )
    _dated(ActivityFulfilment, fulfilment, dt.date(2020, 12, 20))  # before the quarter
    for spent, day in ((250_000, dt.date(2021, 3, 10)), (400_000, dt.date(2021, 4, 2))):
        fulfilment.spent = Decimal(spent)
        fulfilment.save()
        _dated(ActivityFulfilment, fulfilment, day)
    rows = {
        (r.activity.pk, r.year): r
        for r in money_spent(plan=demo_plan, start=Q1_2021[0], end=Q1_2021[1])
    }
    row = rows[(activity.pk, 2021)]
    assert (row.before, row.after, row.spent) == (
        Decimal(100_000),
        Decimal(250_000),
        Decimal(150_000),
    )
    second = {
        (r.activity.pk, r.year): r.spent
        for r in money_spent(plan=demo_plan, start=dt.date(2021, 4, 1), end=dt.date(2021, 6, 30))
    }
    assert second[(activity.pk, 2021)] == Decimal(150_000)
    # A fulfilment created within the quarter counts from zero.
    other = (
        Activity.objects.filter(plan=demo_plan)
        .exclude(pk=activity.pk)
        .exclude(fulfilments__year=2021)
        .first()
    )
    created = ActivityFulfilment.objects.create(activity=other, year=2021, spent=Decimal(5_000))
    _dated(ActivityFulfilment, created, dt.date(2021, 1, 5))
    rows = {
        (r.activity.pk, r.year): r.spent
        for r in money_spent(plan=demo_plan, start=Q1_2021[0], end=Q1_2021[1])
    }
    assert rows[(other.pk, 2021)] == Decimal(5_000)


def test_the_quarterly_report_shows_them(demo_plan):
    item = _stack_item(demo_plan)
    item.status = 2
    item.save()
    _dated(StackItem, item, dt.date(2021, 2, 10))
    activity = Activity.objects.filter(plan=demo_plan).exclude(fulfilments__year=2021).first()
    fulfilment = ActivityFulfilment.objects.create(
        activity=activity, year=2021, spent=Decimal(123_456)
    )
    _dated(ActivityFulfilment, fulfilment, dt.date(2021, 3, 1))
    report = report_get_or_create(plan=demo_plan, kind="quarterly", year=2021, quarter=1)
    data = report_data(report=report)
    assert [c.item.pk for c in data.stack_status_changes] == [item.pk]
    assert [(m.activity.pk, m.spent) for m in data.money_in_quarter] == [
        (activity.pk, Decimal(123_456))
    ]
    html = report_render(report=report, fmt="html").decode()
    assert f"{item.number}. {item.name} – stav 4" in html
    assert "123\xa0456" in html
    assert "Vynaloženo v čtvrtletí" in html


def test_the_quarters_changes_read_the_same_in_html_and_word(demo_plan):
    from smartplan.reports import html_renderer
    from smartplan.reports.report_content import report_content
    from smartplan.reports.tests.test_content_parity import _assert_same, html_items

    item = _stack_item(demo_plan)
    item.status = StackStatus.SUITABLE
    item.save()
    _dated(StackItem, item, dt.date(2021, 3, 30))
    activity = Activity.objects.filter(plan=demo_plan).exclude(fulfilments__year=2021).first()
    fulfilment = ActivityFulfilment.objects.create(activity=activity, year=2021, spent=Decimal(9))
    _dated(ActivityFulfilment, fulfilment, dt.date(2021, 1, 1))
    report = report_get_or_create(plan=demo_plan, kind="quarterly", year=2021, quarter=1)
    content = report_content(report_data(report=report))
    _assert_same(content)
    items = html_items(html_renderer.content_document(content).html())
    cells = [cell for i in items if i[0] == "table" for row in i[2] for cell in row]
    assert "9 Kč" in cells  # spent within the quarter: from 0 Kč to 9 Kč
    assert "Celkem" in cells
    assert any(i[0] == "li" and "→ 3" in i[1] for i in items)
