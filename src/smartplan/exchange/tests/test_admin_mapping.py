"""A region's table in its own layout, mapped in the editing interface: the proposal as a
form, corrected, previewed, confirmed and saved; the next file goes straight to the preview."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from smartplan.access.services import plan_role_grant
from smartplan.exchange.models import SavedMapping
from smartplan.exchange.tests.test_table_mapping import ROWS, region_stack
from smartplan.exchange.upload_store import upload_find
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _fields(form):
    """The form's values as the browser sends them (the initial choices)."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    return data


def _upload(client, plan, path, **extra):
    with path.open("rb") as upload:
        return client.post(
            reverse("admin:plans_plan_import", args=[plan.pk]), {"file": upload, **extra}
        )


def _hidden(response):
    return {k: response.context[k] for k in ("token", "register", "sheet", "create_missing")}


def test_map_correct_preview_confirm_then_straight_to_preview(
    coordinator_client, demo_plan, tmp_path
):
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    response = _upload(coordinator_client, demo_plan, region_stack(tmp_path / "vysocina.xlsx"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sloupce listu Zásobník 2024 pro evidenci Zásobník projektů" in page
    assert '<label class="visually-hidden" for="id_column_0">' in page
    form = response.context["mapping_form"]
    data = _fields(form)
    assert data["column_4"] == "finance_mil"
    assert data["unit_4"] == "tis_kc"
    assert data["column_7"] == ""  # Interní kód: not used
    # The user corrects the proposal: the internal code goes to the note.
    data["column_7"] = "note"
    preview = coordinator_client.post(url, {**_hidden(response), "step": "mapping", **data})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    text = preview.content.decode()
    assert "Zásobník projektů: nové 4, změněné 0" in text
    assert "uloží u plánu" in text
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()
    done = coordinator_client.post(
        url,
        {
            "token": preview.context["token"],
            "register": "stack",
            "sheet": preview.context["sheet"],
            "step": "confirm",
            "mapping": preview.context["mapping_json"],
        },
        follow=True,
    )
    assert done.status_code == 200
    assert "Importováno" in done.content.decode()
    items = {i.number: i for i in StackItem.objects.filter(plan=demo_plan, number__gt=100)}
    assert items[101].finance_mil == Decimal("1.1")
    assert items[101].note == "X-1"
    assert upload_find(preview.context["token"]) is None  # the upload is gone
    assert SavedMapping.objects.filter(plan=demo_plan).count() == 1

    # The same headers again (another order, one more row): straight to the preview.
    again = region_stack(
        tmp_path / "vysocina-2.xlsx",
        rows=[*ROWS, ["Chytré lampy", 105, "Doprava", "běží", 300, 12, "Odbor dopravy", "", ""]],
        order=[8, 7, 6, 5, 4, 3, 2, 1, 0],
    )
    response = _upload(coordinator_client, demo_plan, again)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Použito mapování uložené pro tyto sloupce (potvrzené se souborem vysocina.xlsx" in text
    assert "nové 1" in text
    assert "mapping_form" not in response.context
    listing = coordinator_client.get(url).content.decode()
    assert "Uložená mapování sloupců" in listing
    assert "vysocina.xlsx" in listing


def test_a_mapping_leaving_a_required_field_unfed_is_refused_before_the_preview(
    coordinator_client, demo_plan, tmp_path
):
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    response = _upload(coordinator_client, demo_plan, region_stack(tmp_path / "v.xlsx"))
    data = _fields(response.context["mapping_form"])
    data["column_3"] = ""  # Stav: not used
    refused = coordinator_client.post(url, {**_hidden(response), "step": "mapping", **data})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'role="alert"' in text
    assert "žádný sloupec neplní povinné pole Stav" in text
    assert "preview" not in refused.context or not refused.context.get("preview")
    assert not StackItem.objects.filter(plan=demo_plan, number__gt=100).exists()


def test_register_chosen_on_upload_and_values_mapped_in_the_form(
    coordinator_client, demo_plan, tmp_path
):
    rows = [list(r) for r in ROWS]
    rows[0][3] = "zrušeno"
    response = _upload(
        coordinator_client,
        demo_plan,
        region_stack(tmp_path / "v.xlsx", rows=rows),
        register="stack",
    )
    form = response.context["mapping_form"]
    labels = [str(field.label) for _h, _s, _n, field in form.value_rows]
    assert "Stav: „zrušeno“ znamená" in labels
    data = _fields(form)
    name = next(n for _h, source, n, _f in form.value_rows if source == "zrušeno")
    assert data[name] == ""
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    refused = coordinator_client.post(url, {**_hidden(response), "step": "mapping", **data})
    assert refused.status_code == 400
    assert "řádek 5, sloupec Stav: „zrušeno“" in refused.content.decode()
    data[name] = "4"
    preview = coordinator_client.post(url, {**_hidden(response), "step": "mapping", **data})
    assert preview.status_code == 200
    assert "nové 4" in preview.content.decode()


def test_stale_token_other_plan_and_no_permission(
    coordinator_client, demo_plan, other_plan, tmp_path, django_user_model
):
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    stale = coordinator_client.post(
        url, {"token": "0" * 32, "register": "stack", "step": "confirm"}, follow=True
    )
    assert "Platnost nahraného souboru vypršela" in stale.content.decode()
    assert (
        coordinator_client.post(
            reverse("admin:plans_plan_import", args=[999999]), {"token": "0" * 32}
        ).status_code
        == 404
    )
    member = django_user_model.objects.create_user("clen", password="x")
    plan_role_grant(plan=demo_plan, user=member, role="steering")
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(member)
    response = _upload(client, demo_plan, region_stack(tmp_path / "v.xlsx"))
    assert response.status_code == 403
    assert not SavedMapping.objects.exists()
    # A coordinator of another plan cannot use this plan's import either.
    other = django_user_model.objects.create_user("jiny", password="x")
    plan_role_grant(plan=other_plan, user=other, role="coordinator")
    client.force_login(other)
    assert _upload(client, demo_plan, region_stack(tmp_path / "w.xlsx")).status_code == 403


def test_the_plan_workbook_still_imports_without_a_mapping(coordinator_client, demo_plan, tmp_path):
    from smartplan.exchange.tests.test_seed_layout import office_workbook

    StackItem.objects.filter(plan=demo_plan, number__gt=40).delete()
    response = _upload(coordinator_client, demo_plan, office_workbook(tmp_path / "z.xlsx"))
    assert response.status_code == 200
    assert "mapping_form" not in response.context
    assert "Zásobník projektů: nové 4" in response.content.decode()


def test_another_register_can_be_chosen_for_a_guessed_table(
    coordinator_client, demo_plan, tmp_path
):
    response = _upload(coordinator_client, demo_plan, region_stack(tmp_path / "v.xlsx"))
    assert response.context["register"] == "stack"  # guessed from the columns
    url = reverse("admin:plans_plan_import", args=[demo_plan.pk])
    again = coordinator_client.post(
        url, {**_hidden(response), "register": "activities", "step": "start"}
    )
    assert again.status_code == 200
    assert again.context["mapping_form"].proposal.target.code == "activities"
    assert "pro evidenci Aktivity" in again.content.decode()
