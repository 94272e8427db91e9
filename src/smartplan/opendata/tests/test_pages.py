"""The portal's open data pages and the "Nahlásit problém" form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from smartplan.core.signals import plan_data_changed_send
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.opendata.models import DownloadCount, Feedback
from smartplan.plans.models import Plan

LIST = "/liberec-2020/otevrena-data/"
PAGE = "/liberec-2020/otevrena-data/mereni/"
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def test_the_plan_page_lists_every_dataset_with_formats_and_records(
    demo_plan: Plan, client: Client
) -> None:
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Otevřená data</h1>" in html
    for key in ("projekty", "aktivity", "indikatory", "mereni", "zasobnik", "zdroje", "obce"):
        assert f'href="/liberec-2020/otevrena-data/{key}/"' in html
        assert f'href="/data/liberec-2020/{key}.csv"' in html
        assert f'href="/data/liberec-2020/{key}.xlsx"' in html
        assert f"/lkod/datove-sady/liberec-2020/{key}" in html
    assert "Vlajkové projekty akčního plánu" in html
    assert response["Cache-Control"].startswith("public")
    assert response["ETag"]


def test_the_english_page_is_in_english(demo_plan: Plan, client: Client) -> None:
    html = client.get(f"/en{LIST}").content.decode()
    assert "<h1>Open data</h1>" in html
    assert "Flagship projects of the action plan" in html


def test_the_dataset_page_shows_columns_downloads_and_counts(
    demo_plan: Plan, client: Client
) -> None:
    for _ in range(2):
        b"".join(client.get("/data/liberec-2020/mereni.csv", HTTP_USER_AGENT=BROWSER_UA))
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Naměřené hodnoty indikátorů</h1>" in html
    assert "<code>hodnota</code>" in html
    assert "desetinné číslo" in html
    assert '<td class="od-number">2</td>' in html  # the CSV's downloads
    assert '<td class="od-number">0</td>' in html  # JSON, XLSX
    assert 'href="/data/liberec-2020/mereni.csv-metadata.json"' in html
    assert "Nahlásit problém" in html
    assert "private" in response["Cache-Control"]  # it holds the visitor's CSRF token


def test_a_new_download_changes_the_pages_etag(demo_plan: Plan, client: Client) -> None:
    first = client.get(PAGE)["ETag"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first).status_code == 304
    b"".join(client.get("/data/liberec-2020/mereni.json", HTTP_USER_AGENT=BROWSER_UA))
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first).status_code == 200


@pytest.mark.parametrize("path", [LIST, PAGE, "/en" + PAGE])
def test_private_plans_and_unknown_datasets_are_404(
    demo_plan: Plan, client: Client, path: str
) -> None:
    assert client.get(path).status_code == 200
    Plan.objects.filter(pk=demo_plan.pk).update(published=False)
    assert client.get(path).status_code == 404
    assert client.get("/liberec-2020/otevrena-data/neni/").status_code == 404


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", [LIST, PAGE])
def test_query_counts_do_not_grow_with_the_data(demo_plan: Plan, client: Client, path: str) -> None:
    before = _queries(client, path)
    subs = list(SubIndicator.objects.filter(plan=demo_plan))
    Measurement.objects.bulk_create(
        Measurement(plan=demo_plan, sub_indicator=sub, date=f"19{n:02d}-01-01", value=n)
        for sub in subs
        for n in range(50)
    )
    for fmt in ("csv", "json", "xlsx"):
        DownloadCount.objects.create(plan=demo_plan, dataset="mereni", format=fmt, count=7)
    # Bulk writes announce themselves (as imports do), so no kept page is served.
    plan_data_changed_send(model=Measurement, plan_id=demo_plan.pk)
    after = _queries(client, path)
    assert after == before
    assert after <= 20


def test_no_visitor_gets_anothers_page(demo_plan: Plan) -> None:
    """The dataset page holds the visitor's CSRF token and maybe a thanks: never kept."""
    first, second = Client(), Client()
    thanks = first.get(PAGE + "?odeslano=1").content.decode()
    assert 'role="status"' in thanks
    first_token = first.cookies["csrftoken"].value
    page = second.get(PAGE)
    assert 'role="status"' not in page.content.decode()
    assert second.cookies["csrftoken"].value != first_token
    again = first.get(PAGE)  # the first visitor again, with the cookie already set
    assert "private" in again["Cache-Control"]
    assert 'role="status"' not in again.content.decode()


def _post(client: Client, **data: str) -> Any:
    fields = {"message": "Chybí hodnota za rok 2021.", "name": "", "email": "", "web": ""}
    fields.update(data)
    return client.post(PAGE, fields)


def test_a_report_is_stored_for_the_coordinator(demo_plan: Plan, client: Client) -> None:
    response = _post(client, email="obcan@example.invalid")
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?odeslano=1#nahlasit"
    feedback = Feedback.objects.get()
    assert (feedback.plan, feedback.dataset) == (demo_plan, "mereni")
    assert feedback.message == "Chybí hodnota za rok 2021."
    assert feedback.email == "obcan@example.invalid"
    assert feedback.state == Feedback.State.NEW
    thanks = client.get(response["Location"]).content.decode()
    assert 'role="status"' in thanks
    assert "Děkujeme" in thanks


def test_errors_are_shown_in_czech_next_to_the_fields(demo_plan: Plan, client: Client) -> None:
    response = _post(client, message="", email="neni-adresa")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Toto pole je vyžadováno." in html
    assert "Vložte platnou e-mailovou adresu." in html
    assert 'aria-invalid="true"' in html
    assert Feedback.objects.count() == 0


def test_the_form_is_csrf_protected(demo_plan: Plan) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(PAGE, {"message": "Zpráva"}).status_code == 403
    page = strict.get(PAGE)
    token = page.cookies["csrftoken"].value
    response = strict.post(PAGE, {"message": "Zpráva", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_a_filled_honeypot_stores_nothing(demo_plan: Plan, client: Client) -> None:
    response = _post(client, web="https://spam.example.invalid")
    assert response.status_code == 302  # looks like success to the robot
    assert Feedback.objects.count() == 0


@override_settings(OPENDATA_FEEDBACK_LIMIT=2)
def test_too_many_reports_from_one_address_are_refused(demo_plan: Plan, client: Client) -> None:
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    refused = _post(client)
    assert refused.status_code == 429
    assert "Příliš mnoho hlášení" in refused.content.decode()
    assert Feedback.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert other.post(PAGE, {"message": "Jiná adresa"}).status_code == 302


def test_the_coordinator_answers_in_the_editing_interface(
    demo_plan: Plan, coordinator_client: Client
) -> None:
    feedback = Feedback.objects.create(plan=demo_plan, dataset="mereni", message="Chyba")
    url = f"/admin/opendata/feedback/{feedback.pk}/change/"
    page = coordinator_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"answer": "Opraveno, děkujeme.", "version": str(feedback.version)})
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feedback.refresh_from_db()
    assert feedback.answer == "Opraveno, děkujeme."
    assert feedback.state == Feedback.State.ANSWERED
    assert feedback.answered_at is not None
    assert feedback.answered_by is not None
    assert feedback.answered_by.get_username() == "koordinator"
