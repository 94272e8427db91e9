"""Import and export in the editing interface."""

import io

import openpyxl
import pytest
from django.urls import reverse

from smartplan.exchange.tests.test_seed_layout import office_workbook
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def test_plan_workbook_and_template_downloads(coordinator_client, demo_plan):
    response = coordinator_client.get(reverse("admin:plans_plan_export", args=[demo_plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('liberec-2020.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[0] == "Vysvětlivky"
    assert workbook["Zásobník projektů"].max_row == 54
    template = coordinator_client.get(reverse("admin:plans_plan_template"))
    empty = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert empty["Zásobník projektů"].max_row == 1


def test_register_export_follows_the_lists_filters(coordinator_client, demo_plan):
    url = reverse("admin:stack_stackitem_export", args=["csv"])
    response = coordinator_client.get(url, {"plan__id__exact": demo_plan.pk, "status__exact": 1})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffP.č.;Oblast;Projekt / opatření")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 15  # header + the 15 running items
    assert any(";250;" in line for line in lines)  # Rekonstrukce budovy „D“, 250 mil. Kč
    xlsx = coordinator_client.get(
        reverse("admin:stack_stackitem_export", args=["xlsx"]), {"plan__id__exact": demo_plan.pk}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Zásobník projektů"]
    assert sheet.max_row == 54
    assert sheet["F3"].value == 7.5
    changelist = coordinator_client.get(
        "/admin/stack/stackitem/", {"plan__id__exact": demo_plan.pk}
    ).content.decode()
    assert "Export XLSX" in changelist


def test_upload_preview_confirm(coordinator_client, demo_plan, tmp_path):
    StackItem.objects.filter(plan=demo_plan, number__gt=40).delete()
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    path = office_workbook(tmp_path / "z.xlsx")
    with path.open("rb") as upload:
        preview = coordinator_client.post(url, {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Zásobník projektů: nové 4, změněné 0" in page
    assert StackItem.objects.filter(plan=demo_plan).count() == 40  # nothing written yet
    token = preview.context["token"]
    done = coordinator_client.post(url, {"token": token}, follow=True)
    assert done.status_code == 200
    assert StackItem.objects.filter(plan=demo_plan).count() == 44


def test_bad_upload_lists_the_problems(coordinator_client, demo_plan, tmp_path):
    path = office_workbook(tmp_path / "z.xlsx", area_of_item_7="Ekonomicky rozvoj a cestovni ruh")
    with path.open("rb") as upload:
        response = coordinator_client.post(
            reverse("admin:plans_plan_import", args=[demo_plan.pk]), {"file": upload}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nic nebylo zapsáno" in page
    assert "řádek 10, sloupec Oblast" in page
    with (tmp_path / "x.csv").open("wb") as handle:
        handle.write("indikátor;datum;hodnota\n9.9;1. 1. 2021;1\n".encode())
    with (tmp_path / "x.csv").open("rb") as upload:
        response = coordinator_client.post(
            reverse("admin:plans_plan_import", args=[demo_plan.pk]), {"file": upload}
        )
    assert response.status_code == 400
    assert "9.9" in response.content.decode()


def test_an_upload_is_one_change_set_named_after_the_uploaded_file(
    coordinator_client, demo_plan, tmp_path
):
    from smartplan.core.models import ChangeSet

    StackItem.objects.filter(plan=demo_plan, number__gt=40).delete()
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    path = office_workbook(tmp_path / "Zásobník 2021.xlsx")
    with path.open("rb") as upload:
        preview = coordinator_client.post(url, {"file": upload})
    assert "upload_name" not in preview.content.decode()  # kept on the server, not posted
    coordinator_client.post(url, {"token": preview.context["token"], "upload_name": "forged"})
    change_set = ChangeSet.objects.latest("pk")
    assert (change_set.channel, change_set.label, change_set.plan_id) == (
        "import",
        "Zásobník 2021.xlsx",
        demo_plan.pk,
    )
    assert change_set.user.username == "koordinator"
    assert StackItem.history.filter(change_set=change_set, history_type="+").count() == 4
