"""Uploads leave no file behind: refused, failed, imported or never confirmed."""

import datetime as dt
import json
import os
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from smartplan.exchange import admin_views
from smartplan.exchange.upload_store import PREVIEW_TTL, upload_dir
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def url(demo_plan):
    return reverse("admin:plans_plan_import", args=[demo_plan.pk])


def _files():
    return sorted(p.name for p in upload_dir().iterdir())


def _excel_csv(path, text):
    """Measurements as Czech Excel saves a CSV: Windows-1250, semicolons, CRLF."""
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1250"))
    return path


def _age(token, seconds):
    """What the passing of ``seconds`` does to an upload (its files and its note)."""
    folder = upload_dir()
    meta = folder / f"{token}.json"
    info = json.loads(meta.read_text(encoding="utf-8"))
    info["saved"] -= seconds
    meta.write_text(json.dumps(info), encoding="utf-8")
    then = time.time() - seconds
    for path in folder.glob(f"{token}.*"):
        os.utime(path, (then, then))


def _preview(client, url, path):
    with path.open("rb") as handle:  # the browser sends the file's own name
        return client.post(url, {"file": handle})


def test_a_refused_preview_leaves_no_file_and_names_the_users_file(
    coordinator_client, url, tmp_path
):
    broken = tmp_path / "Zásobník kraje.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated, not a workbook")
    response = _preview(coordinator_client, url, broken)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Zásobník kraje.xlsx nebyl naimportován" in page
    assert _files() == []


def test_an_error_in_the_preview_leaves_no_file(coordinator_client, url, exported, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(admin_views, "workbook_import", fail)
    with pytest.raises(RuntimeError):
        _preview(coordinator_client, url, exported)
    assert _files() == []


def test_a_preview_kept_until_confirmed_then_removed(coordinator_client, url, exported):
    preview = _preview(coordinator_client, url, exported)
    assert preview.status_code == 200
    token = preview.context["token"]
    assert sorted(_files()) == [f"{token}.json", f"{token}.xlsx"]
    done = coordinator_client.post(url, {"token": token})
    assert done.status_code == 302
    assert _files() == []


def test_a_refused_confirmation_leaves_no_file(coordinator_client, url, demo_plan, tmp_path):
    path = _excel_csv(tmp_path / "m.csv", "Indikátor;Datum;Hodnota\n6.1;1. 9. 2022;1\n")
    preview = _preview(coordinator_client, url, path)
    assert preview.status_code == 200
    # Before the confirmation, someone stores a final value at that date: the file would
    # change it without a reason, so the confirmation is refused.
    measurement_save(
        entry=MeasurementEntry(
            sub_indicator=SubIndicator.objects.get(plan=demo_plan, code="6.1"),
            date=dt.date(2022, 9, 1),
            value=Decimal(0),
            final=True,
        ),
        user=None,
    )
    refused = coordinator_client.post(url, {"token": preview.context["token"]})
    assert refused.status_code == 400
    assert "nic nebylo zapsáno" in refused.content.decode()
    assert Measurement.objects.get(sub_indicator__code="6.1").value == 0
    assert _files() == []


def test_an_error_in_the_confirmation_leaves_no_file(
    coordinator_client, url, exported, monkeypatch
):
    preview = _preview(coordinator_client, url, exported)

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(admin_views, "workbook_import", fail)
    with pytest.raises(RuntimeError):
        coordinator_client.post(url, {"token": preview.context["token"]})
    assert _files() == []


def test_an_expired_preview_is_refused_in_czech_and_removed(coordinator_client, url, exported):
    preview = _preview(coordinator_client, url, exported)
    token = preview.context["token"]
    _age(token, PREVIEW_TTL + 60)
    response = coordinator_client.post(url, {"token": token}, follow=True)
    assert "Platnost nahraného souboru vypršela; nahrajte jej znovu." in response.content.decode()
    assert _files() == []


def test_a_new_upload_sweeps_previews_never_confirmed(coordinator_client, url, exported):
    old = _preview(coordinator_client, url, exported).context["token"]
    recent = _preview(coordinator_client, url, exported).context["token"]
    _age(old, PREVIEW_TTL + 60)
    _age(recent, PREVIEW_TTL - 600)
    new = _preview(coordinator_client, url, exported).context["token"]
    tokens = {name.split(".")[0] for name in _files()}
    assert tokens == {recent, new}


def test_cleanup_uploads_command_removes_only_expired_uploads(
    coordinator_client, url, exported, capsys
):
    old = _preview(coordinator_client, url, exported).context["token"]
    fresh = _preview(coordinator_client, url, exported).context["token"]
    _age(old, PREVIEW_TTL + 1)
    call_command("cleanup_uploads")
    assert "Odstraněno nahraných souborů s prošlou platností: 1" in capsys.readouterr().out
    assert {name.split(".")[0] for name in _files()} == {fresh}
    assert coordinator_client.post(url, {"token": fresh}).status_code == 302


def test_export_downloads_leave_no_file(coordinator_client, demo_plan):
    response = coordinator_client.get(reverse("admin:plans_plan_export", args=[demo_plan.pk]))
    b"".join(response.streaming_content)
    response.close()
    assert _files() == []


def test_stray_files_in_the_upload_folder_are_swept_when_old():
    # An export whose response never finished (the file is unlinked once it is opened).
    stray = upload_dir() / "export-0123.xlsx"
    plan_workbook_save(plan=None, target=stray)
    then = time.time() - PREVIEW_TTL - 5
    os.utime(stray, (then, then))
    call_command("cleanup_uploads")
    assert _files() == []
