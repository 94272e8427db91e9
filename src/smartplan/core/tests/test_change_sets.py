"""Every channel records who changed what, through which channel, in one change set."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from smartplan import cli
from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.models import ChangeSet
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.exchange.plan_import import workbook_import
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurements_save
from smartplan.plans.models import Area
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _latest(model):
    return model.history.select_related("change_set", "history_user").latest("history_id")


def test_an_interface_form_records_its_user_and_channel(coordinator_client, demo_plan):
    area = Area.objects.filter(plan=demo_plan).first()
    response = coordinator_client.post(
        f"/admin/plans/area/{area.pk}/change/",
        {"plan": demo_plan.pk, "name": "Doprava a mobilita", "short_name": "", "order": 7},
    )
    assert response.status_code == 302, response.content[:2000]
    record = _latest(Area)
    assert record.name == "Doprava a mobilita"
    assert record.history_user.username == "koordinator"
    assert record.change_set.channel == Channel.INTERFACE
    assert record.change_set.user == record.history_user
    assert record.change_set.plan_id == demo_plan.pk
    assert record.change_set.registers == ["plans.area"]


def test_a_request_that_writes_nothing_leaves_no_change_set(coordinator_client, demo_plan):
    before = ChangeSet.objects.count()
    coordinator_client.post("/admin/plans/area/999999/change/", {})
    coordinator_client.get("/admin/plans/area/")
    assert ChangeSet.objects.count() == before


def test_a_measurements_csv_is_one_change_set_named_after_the_file(demo_plan, tmp_path, admin_user):
    path = tmp_path / "hodnoty-2021.csv"
    path.write_text(
        "code,date,value,note\n1.1,2021-12-31,4,odhad\n1.2,2021-06-30,3,odhad\n", encoding="utf-8"
    )
    measurements_import(plan=demo_plan, path=path, user=admin_user)
    change_set = ChangeSet.objects.latest("pk")
    assert (change_set.channel, change_set.label, change_set.plan_id) == (
        Channel.IMPORT,
        "hodnoty-2021.csv",
        demo_plan.pk,
    )
    assert change_set.user == admin_user
    records = Measurement.history.filter(change_set=change_set)
    assert records.count() == 2
    assert {r.history_user_id for r in records} == {admin_user.pk}
    # A second file is a second change set: the changed value's record holds every field.
    path.write_text("code,date,value,note\n1.1,2021-12-31,5,odhad\n", encoding="utf-8")
    measurements_import(plan=demo_plan, path=path, user=admin_user)
    second = ChangeSet.objects.latest("pk")
    assert second.pk != change_set.pk
    changed = Measurement.history.get(change_set=second)
    assert (changed.history_type, changed.value, changed.version) == ("~", Decimal(5), 2)
    assert changed.sub_indicator_id
    assert changed.created_at


def test_a_workbook_import_is_one_change_set_for_every_register(demo_plan, tmp_path):
    path = tmp_path / "liberec.xlsx"
    plan_workbook_save(plan=demo_plan, target=path)
    item = StackItem.objects.filter(plan=demo_plan).first()
    item.name = "Přejmenováno před importem"
    item.save()
    workbook_import(path=path, plan_slug=demo_plan.slug, label="Liberec 2020.xlsx")
    change_set = ChangeSet.objects.latest("pk")
    assert (change_set.channel, change_set.label, change_set.plan_id) == (
        Channel.IMPORT,
        "Liberec 2020.xlsx",
        demo_plan.pk,
    )
    record = StackItem.history.get(change_set=change_set, id=item.pk)
    assert record.history_type == "~"
    assert record.name != "Přejmenováno před importem"
    assert "stack.stackitem" in change_set.registers


def test_an_api_post_records_the_token_user_and_the_api_channel(demo_plan, django_user_model):
    user = django_user_model.objects.create_user("datovy-portal")
    plan_role_grant(
        plan=demo_plan,
        user=user,
        role=PROVIDER,
        sub_indicators=SubIndicator.objects.filter(plan=demo_plan, code="8.1"),
    )
    client = APIClient(HTTP_ACCEPT_LANGUAGE="cs")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post(
        f"/api/v1/plans/{demo_plan.slug}/measurements/",
        {"sub_indicator": "8.1", "date": "2021-06-30", "value": "3"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    record = Measurement.history.select_related("change_set").get(id=response.json()["id"])
    assert record.history_user == user
    assert (record.change_set.channel, record.change_set.user) == (Channel.API, user)


def test_a_management_command_records_the_command_channel(demo_plan, tmp_path, capsys, monkeypatch):
    # The console script's wrapping, with the command run by call_command (Django's own
    # entry point closes the database connections when the command ends).
    monkeypatch.setattr(
        cli, "execute_from_command_line", lambda argv: call_command(argv[1], *argv[2:])
    )
    path = tmp_path / "prikaz.csv"
    path.write_text("code,date,value,note\n1.1,2021-12-31,4,odhad\n", encoding="utf-8")
    area = Area.objects.filter(plan=demo_plan).first()
    code = f"from smartplan.plans.models import Area; a = Area.objects.get(pk={area.pk}); "
    cli.main(["shell", "-c", code + "a.short_name = 'X'; a.save()"])
    change_set = ChangeSet.objects.latest("pk")
    assert change_set.channel == Channel.COMMAND
    assert change_set.label.startswith("smartplan shell")
    assert _latest(Area).short_name == "X"
    # An import command opens its own change set, named after its file.
    cli.main(["import-measurements", "--plan", demo_plan.slug, str(path)])
    imported = ChangeSet.objects.latest("pk")
    assert (imported.channel, imported.label) == (Channel.IMPORT, "prikaz.csv")


def test_nested_blocks_join_the_outer_change_set_unless_the_channel_differs(demo_plan, admin_user):
    area = Area.objects.filter(plan=demo_plan).first()
    with change_set_open(channel=Channel.API, user=admin_user) as outer:
        area.order = 11
        area.save()
        with change_set_open(channel=Channel.API, plan=demo_plan) as inner:
            area.order = 12
            area.save()
        assert inner is outer
        with change_set_open(channel=Channel.IMPORT, label="x.csv") as other:
            area.order = 13
            area.save()
    assert other.change_set != outer.change_set
    assert other.change_set.user == admin_user  # the outer block's user
    assert Area.history.filter(change_set=outer.change_set).count() == 2


def test_bulk_writes_record_history_in_bulk(demo_plan, admin_user, django_assert_max_num_queries):
    sub = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    entries = [
        MeasurementEntry(
            sub_indicator=sub,
            date=dt.date(2019, 1, 1) + dt.timedelta(days=n),
            value=Decimal(n),
            note="odhad",
        )
        for n in range(200)
    ]
    with change_set_open(channel=Channel.COMMAND, label="bulk"):
        measurements_save(entries=entries, user=admin_user)
    change_set = ChangeSet.objects.latest("pk")
    assert Measurement.history.filter(change_set=change_set).count() == 200


def test_a_change_set_lost_with_a_rolled_back_transaction_is_stored_again(transactional_db):
    # Real transactions (not the test's savepoints): the second one looks like the first.
    from django.contrib.auth import get_user_model
    from django.db import transaction

    admin_user = get_user_model().objects.create_user("spravce")
    area = Area.objects.first()
    with change_set_open(channel=Channel.INTERFACE, user=admin_user) as scope:
        number = None
        try:
            with transaction.atomic():
                area.order = 21
                area.save()
                number = scope.change_set.pk
                raise RuntimeError  # the row, its record and the change set roll back
        except RuntimeError:
            pass
        area.refresh_from_db()
        with transaction.atomic():
            area.order = 22
            area.save()
    record = _latest(Area)
    assert record.order == 22
    stored = ChangeSet.objects.get(pk=record.change_set_id)  # not a dangling number
    assert (stored.user, stored.registers) == (admin_user, ["plans.area"])
    assert number is not None
