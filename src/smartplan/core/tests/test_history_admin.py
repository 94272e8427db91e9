"""History pages: versions with field changes, reverts through the rules, change sets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartplan.core.change_sets import Channel, change_set_open
from smartplan.core.models import ChangeSet
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.plans.models import Area
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _area_edits(plan, user):
    area = Area.objects.filter(plan=plan).order_by("pk").first()
    old_name = area.name
    with change_set_open(channel=Channel.INTERFACE, user=user):
        area.name = "Chytrá doprava"
        area.order = 9
        area.save()
    return area, old_name


def test_a_history_page_lists_versions_with_who_channel_and_field_changes(
    coordinator_client, demo_plan
):
    area, old_name = _area_edits(demo_plan, None)
    html = coordinator_client.get(f"/admin/plans/area/{area.pk}/history/").content.decode()
    assert "Chytrá doprava" in html
    assert old_name in html  # old → new
    assert "editační rozhraní" in html or "editing interface" in html
    assert "Vrátit na tuto verzi" in html
    assert f"/admin/plans/plan/change-set/{ChangeSet.objects.latest('pk').pk}/" in html


def test_revert_to_a_version_is_a_new_change_set(coordinator_client, demo_plan):
    area, _old_name = _area_edits(demo_plan, None)
    first = Area.history.filter(id=area.pk).order_by("history_id").first()
    url = f"/admin/plans/area/{area.pk}/history/{first.history_id}/revert/"
    preview = coordinator_client.get(url).content.decode()
    assert "Chytrá doprava" in preview
    response = coordinator_client.post(url)
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.order) == (first.name, first.order)
    record = Area.history.select_related("change_set", "history_user").latest("history_id")
    assert record.change_set.channel == Channel.REVERT
    assert record.history_user.username == "koordinator"


def test_revert_needs_the_change_permission(demo_plan, django_user_model):
    area, _old = _area_edits(demo_plan, None)
    reader = django_user_model.objects.create_user("ctenar", is_staff=True)
    reader.user_permissions.add(*Permission.objects.filter(codename="view_area"))
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(reader)
    first = Area.history.filter(id=area.pk).order_by("history_id").first()
    page = client.get(f"/admin/plans/area/{area.pk}/history/").content.decode()
    assert "Vrátit na tuto verzi" not in page
    response = client.post(f"/admin/plans/area/{area.pk}/history/{first.history_id}/revert/")
    assert response.status_code == 400
    assert "Nesmíte měnit" in response.content.decode()
    area.refresh_from_db()
    assert area.name == "Chytrá doprava"


def test_a_final_measurement_reverts_only_with_a_reason_through_its_action(
    coordinator_client, demo_plan
):
    sub = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    from smartplan.monitoring.actions.measurements import MeasurementEntry, measurements_save

    measurements_save(
        entries=[
            MeasurementEntry(
                sub_indicator=sub, date=dt.date(2021, 6, 30), value=Decimal(1), final=True, note="x"
            )
        ],
        user=None,
    )
    value = Measurement.objects.get(sub_indicator=sub, date=dt.date(2021, 6, 30))
    measurements_save(
        entries=[
            MeasurementEntry(
                sub_indicator=sub,
                date=value.date,
                value=Decimal(0),
                final=True,
                reason="oprava",
                note="x",
            )
        ],
        user=None,
    )
    first = Measurement.history.filter(id=value.pk).order_by("history_id").first()
    url = f"/admin/indicators/measurement/{value.pk}/history/{first.history_id}/revert/"
    refused = coordinator_client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "důvod" in refused.content.decode().lower()
    value.refresh_from_db()
    assert value.value == 0
    done = coordinator_client.post(url, {"reason": "vrácení omylu"})
    assert done.status_code == 302
    value.refresh_from_db()
    assert value.value == 1
    assert MeasurementRevision.objects.filter(measurement=value, reason="vrácení omylu").exists()


def test_a_stack_status_and_a_fulfilment_revert_through_their_actions(
    coordinator_client, demo_plan
):
    item = StackItem.objects.filter(plan=demo_plan).first()
    first_status = item.status
    item.status = 1 if first_status != 1 else 2
    item.save()
    first = StackItem.history.filter(id=item.pk).order_by("history_id").first()
    response = coordinator_client.post(
        f"/admin/stack/stackitem/{item.pk}/history/{first.history_id}/revert/"
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == first_status
    activity = Activity.objects.filter(plan=demo_plan).exclude(fulfilments__year=2021).first()
    fulfilment = ActivityFulfilment.objects.create(activity=activity, year=2021, spent=Decimal(5))
    # A version the rules refuse (money spent below zero), stored in the history by force:
    ActivityFulfilment.history.filter(id=fulfilment.pk).update(spent=Decimal(-1))
    fulfilment.spent = Decimal(7)
    fulfilment.save()
    bad = ActivityFulfilment.history.filter(id=fulfilment.pk).order_by("history_id").first()
    response = coordinator_client.post(
        f"/admin/projects/activityfulfilment/{fulfilment.pk}/history/{bad.history_id}/revert/"
    )
    assert response.status_code == 400
    assert "záporn" in response.content.decode()
    fulfilment.refresh_from_db()
    assert fulfilment.spent == 7


def test_a_whole_import_is_reverted_at_once_and_refused_after_a_later_change(
    coordinator_client, demo_plan, tmp_path
):
    path = tmp_path / "hodnoty.csv"
    path.write_text(
        "code,date,value,note\n1.1,2021-12-31,4,odhad\n1.2,2021-06-30,3,odhad\n", encoding="utf-8"
    )
    measurements_import(plan=demo_plan, path=path)
    imported = ChangeSet.objects.latest("pk")
    page = coordinator_client.get(f"/admin/plans/plan/change-set/{imported.pk}/").content.decode()
    assert "hodnoty.csv" in page
    assert "Vrátit celou sadu" in page
    value = Measurement.objects.get(sub_indicator__code="1.1", date=dt.date(2021, 12, 31))
    assert f"/admin/indicators/measurement/{value.pk}/history/" in page
    # A later edit of one of its rows refuses the revert, naming the row.
    later = Measurement.objects.get(sub_indicator__code="1.2", date=dt.date(2021, 6, 30))
    with change_set_open(channel=Channel.INTERFACE):
        later.note = "upraveno"
        later.save()
    refused = coordinator_client.post(f"/admin/plans/plan/change-set/{imported.pk}/")
    assert refused.status_code == 400
    assert str(later) in refused.content.decode()
    assert Measurement.objects.filter(pk=later.pk).exists()
    # Undo the later edit first (revert its change set), then the import goes as a whole.
    edit = ChangeSet.objects.latest("pk")
    assert coordinator_client.post(f"/admin/plans/plan/change-set/{edit.pk}/").status_code == 302
    done = coordinator_client.post(f"/admin/plans/plan/change-set/{imported.pk}/")
    assert done.status_code == 302
    assert not Measurement.objects.filter(
        date__in=[dt.date(2021, 12, 31), dt.date(2021, 6, 30)],
        sub_indicator__code__in=["1.1", "1.2"],
    ).exists()
    imported.refresh_from_db()
    assert imported.reverted_by.channel == Channel.REVERT


def test_the_plan_window_page_shows_change_sets_with_a_bounded_number_of_queries(
    coordinator_client, demo_plan
):
    url = f"/admin/plans/plan/{demo_plan.pk}/changes/"
    items = list(StackItem.objects.filter(plan=demo_plan)[:12])

    def edits(count):
        for n in range(count):
            with change_set_open(channel=Channel.INTERFACE):
                item = items[n % len(items)]
                item.refresh_from_db()
                item.note = f"poznámka {n}"
                item.save()
                area = Area.objects.filter(plan=demo_plan).first()
                area.order += 1
                area.save()

    edits(2)
    with CaptureQueriesContext(connection) as few:
        first = coordinator_client.get(url, {"date_from": "1. 1. 2020", "date_to": "31. 12. 2099"})
    assert first.status_code == 200
    assert "poznámka 1" in first.content.decode()
    edits(30)
    with CaptureQueriesContext(connection) as many:
        second = coordinator_client.get(url, {"date_from": "1. 1. 2020"})
    assert "poznámka 29" in second.content.decode()
    assert len(many) <= len(few) + 1  # the paginator's page links, not one query per row
    assert (
        "Co se změnilo mezi dvěma daty"
        in coordinator_client.get(f"/admin/plans/plan/{demo_plan.pk}/change/").content.decode()
    )


def test_a_bad_date_is_a_czech_message(coordinator_client, demo_plan):
    response = coordinator_client.get(
        f"/admin/plans/plan/{demo_plan.pk}/changes/", {"date_from": "31. 13. 2022"}
    )
    assert response.status_code == 200
    assert "5. 2. 2020" in response.content.decode()


def test_a_history_page_needs_no_more_queries_for_more_versions(coordinator_client, demo_plan):
    area = Area.objects.filter(plan=demo_plan).first()

    def edits(count):
        for n in range(count):
            with change_set_open(channel=Channel.INTERFACE):
                area.refresh_from_db()
                area.order = n
                area.short_name = f"O{n}"
                area.save()

    url = f"/admin/plans/area/{area.pk}/history/"
    edits(2)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    edits(20)
    with CaptureQueriesContext(connection) as many:
        html = coordinator_client.get(url).content.decode()
    assert "O19" in html
    assert len(many) <= len(few)


def test_reverting_a_deletion_adds_the_row_back(coordinator_client, demo_plan):
    with change_set_open(channel=Channel.INTERFACE):
        area = Area.objects.create(plan=demo_plan, name="Cestovní ruch", order=40)
    with change_set_open(channel=Channel.INTERFACE):
        Area.objects.get(pk=area.pk).delete()
    deletion = ChangeSet.objects.latest("pk")
    history = coordinator_client.get(f"/admin/plans/area/{area.pk}/history/")
    assert history.status_code == 200
    assert "Cestovní ruch" in history.content.decode()
    url = f"/admin/plans/plan/change-set/{deletion.pk}/"
    assert coordinator_client.post(url).status_code == 302
    restored = Area.objects.get(pk=area.pk)
    assert (restored.name, restored.order) == ("Cestovní ruch", 40)
    # Reverting it again is refused: the change set has been reverted.
    again = coordinator_client.post(url)
    assert again.status_code == 400
    assert "už byla vrácena" in again.content.decode()
