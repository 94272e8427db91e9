"""A demo login per role: each logs in with the printed password and reaches its page."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from smartplan.access.models import PlanRole
from smartplan.demo.management.commands import demo as demo_command
from smartplan.demo.services import (
    DEMO_PASSWORD,
    FICTIONAL_SLUG,
    demo_fictional_plan_ensure,
    demo_load,
)
from smartplan.indicators.models import Measurement
from smartplan.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_every_role_has_a_demo_login_that_reaches_its_page(demo_plan):
    accounts = demo_load().accounts
    assert [a.username for a in accounts] == [
        "demo",
        "demo-koordinator",
        "demo-garant",
        "demo-poskytovatel",
        "demo-ridici-skupina",
    ]
    roles = dict(PlanRole.objects.filter(plan=demo_plan).values_list("user__username", "role"))
    assert roles == {
        "demo-koordinator": "coordinator",
        "demo-garant": "guarantor",
        "demo-poskytovatel": "provider",
        "demo-ridici-skupina": "steering",
    }
    assert PlanRole.objects.get(role="guarantor").projects.count() == 1
    assert PlanRole.objects.get(role="provider").sub_indicators.count() == 3
    for account in accounts:
        client = Client(HTTP_ACCEPT_LANGUAGE="cs")
        # Through the login page (django-axes checks every login against its request).
        client.post("/prihlaseni/", {"username": account.username, "password": DEMO_PASSWORD})
        assert "_auth_user_id" in client.session, account.username
        assert client.get(account.path).status_code == 200, account.username
    demo_plan.refresh_from_db()
    assert demo_plan.published


def test_smartplan_demo_prints_a_login_per_role(demo_plan, monkeypatch):
    monkeypatch.setattr(demo_command, "serve", lambda **kwargs: None)
    monkeypatch.setattr(
        demo_command,
        "call_command",
        lambda name, **kw: call_command(name, **kw) if name == "load_demo" else None,
    )
    out = io.StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "Přihlaste se jako demo s heslem chytrejsi-kraj" in text
    assert "koordinátor: http://127.0.0.1:8123/admin/ – demo-koordinator / chytrejsi-kraj" in text
    assert "poskytovatel dat: http://127.0.0.1:8123/monitoring/moje/ – demo-poskytovatel /" in text
    assert "garant: http://127.0.0.1:8123/admin/projects/flagshipproject/" in text


def test_smartplan_demo_prints_the_portal_first_and_publishes_both_plans(demo_plan, monkeypatch):
    monkeypatch.setattr(demo_command, "serve", lambda **kwargs: None)
    monkeypatch.setattr(
        demo_command,
        "call_command",
        lambda name, **kw: call_command(name, **kw) if name == "load_demo" else None,
    )
    out = io.StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "http://" in line]
    assert lines[0] == "Veřejný portál (bez přihlášení): http://127.0.0.1:8123/"
    assert lines[1].endswith(": http://127.0.0.1:8123/liberec-2020/")
    assert lines[2].startswith("  Fiktivní plán se simulovanými daty: ")
    assert lines[2].endswith(f": http://127.0.0.1:8123/{FICTIONAL_SLUG}/")
    fictional = Plan.objects.get(slug=FICTIONAL_SLUG)
    assert fictional.published
    assert "simulované" in fictional.description
    assert Measurement.objects.filter(plan=fictional).exists()  # simulated values
    demo_plan.refresh_from_db()
    assert demo_plan.published
    # A second run changes nothing.
    version = fictional.version
    demo_fictional_plan_ensure()
    fictional.refresh_from_db()
    assert fictional.version == version
    assert Plan.objects.filter(name__startswith="Fiktivní plán").count() == 1
