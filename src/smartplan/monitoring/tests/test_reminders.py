"""Each overdue or upcoming value triggers exactly one e-mail, however often remind runs."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from smartplan.indicators.models import SubIndicator
from smartplan.monitoring.models import ReminderLog
from smartplan.monitoring.reminders import reminders_send
from smartplan.monitoring.services import plan_states_recompute

DUE = dt.date(2023, 1, 1)  # "po 3 letech" from the 2020-01-01 baseline


@pytest.fixture
def states(demo_plan):
    plan_states_recompute(plan=demo_plan, as_of=dt.date(2022, 12, 1))
    return demo_plan


@pytest.mark.django_db
def test_nothing_before_the_reminder_window(states):
    assert reminders_send(today=dt.date(2022, 12, 1)).sent == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_upcoming_then_overdue_each_once(states):
    first = reminders_send(today=dt.date(2022, 12, 20))
    # Seven measured sub-indicators of indicators 1–6 are due on 1. 1. 2023; 7.x and 8.x and
    # 9.x have no frequency in the seed, 2.1's responsible organisation names no person.
    assert first.sent == 7
    assert first.without_recipient == 1
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(
        [
            "jiri.hrubon@korid.cz",
            "rene.broz@kraj-lbc.cz",
            "petr.stanek@kraj-lbc.cz",
            "jirina.princova@kraj-lbc.cz",
        ]
    )
    hruboň = next(m for m in mail.outbox if m.to == ["jiri.hrubon@korid.cz"])
    assert "1.1 Počet přístupů uživatelů koncové aplikace B2C" in hruboň.body
    assert "1. 1. 2023" in hruboň.body
    assert "/monitoring/hodnota/" in hruboň.body

    for _ in range(3):
        again = reminders_send(today=dt.date(2022, 12, 21))
        assert again.sent == 0
        assert again.already_sent == 7
    assert len(mail.outbox) == 4

    overdue = reminders_send(today=dt.date(2023, 1, 2))
    assert overdue.sent == 7
    assert len(mail.outbox) == 8
    assert reminders_send(today=dt.date(2023, 2, 1)).sent == 0
    assert ReminderLog.objects.filter(sent_at__isnull=False).count() == 14


@pytest.mark.django_db
def test_a_reminder_claimed_by_an_overlapping_run_is_not_sent_again(states):
    sub = SubIndicator.objects.get(plan=states, code="1.1")
    ReminderLog.objects.create(
        plan=states,
        sub_indicator=sub,
        due_date=DUE,
        kind="overdue",
        recipient="jiri.hrubon@korid.cz",
    )
    run = reminders_send(today=dt.date(2023, 1, 5))
    assert run.already_sent == 1
    assert run.sent == 6
    assert all("1.1 " not in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_failed_sending_releases_the_claim(states, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("smartplan.monitoring.reminders.send_mail", broken)
    run = reminders_send(today=dt.date(2023, 1, 5))
    assert run.failed == 7
    assert ReminderLog.objects.count() == 0
    monkeypatch.undo()
    assert reminders_send(today=dt.date(2023, 1, 5)).sent == 7


@pytest.mark.django_db
def test_remind_command(states, capsys):
    call_command("remind", "--today", "2023-01-05")
    call_command("remind", "--today", "2023-01-05")
    out = capsys.readouterr().out
    assert "Odesláno připomínek: 7" in out
    assert "Odesláno připomínek: 0, odesláno dříve: 7" in out
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_overlapping_runs_send_each_reminder_once(demo_plan):
    plan_states_recompute(plan=demo_plan, as_of=dt.date(2022, 12, 1))
    results = []
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            results.append(reminders_send(today=dt.date(2023, 1, 5)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.sent for result in results) == 7
    assert sum(result.already_sent for result in results) == 7
    assert ReminderLog.objects.count() == 7
