"""The register CSV export streams from the database cursor and writes what it wrote before."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.access.services import plan_role_grant
from smartplan.exchange import register_stream
from smartplan.exchange.register_export import _csv_value, register_csv
from smartplan.exchange.registers import MEASUREMENTS, SHEETS
from smartplan.exchange.workbook_writer import register_rows
from smartplan.indicators.models import Measurement, SubIndicator

pytestmark = pytest.mark.django_db

URL = "admin:indicators_measurement_export"


def former_register_csv(sheet, rows):
    """The export as it was before streaming: one model instance per row, all in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for obj in rows:
        writer.writerow([_csv_value(column.to_cell(obj)) for column in sheet.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@pytest.fixture
def measured(demo_plan):
    """Sixty values on three sub-indicators (the demo plan has none): whole numbers,
    fractions, periods and notes, as providers enter them."""
    subs = list(SubIndicator.objects.filter(plan=demo_plan).order_by("code")[:3])
    Measurement.objects.bulk_create(
        Measurement(
            plan=demo_plan,
            sub_indicator=subs[n % 3],
            date=dt.date(2020, 1 + n % 12, 1 + n // 12),
            period_start=dt.date(2020, 1, 1) if n % 4 == 0 else None,
            value=Decimal(n * 37) / Decimal(8),
            note="" if n % 5 else f"poznámka {n}",
        )
        for n in range(60)
    )
    return demo_plan


def test_every_register_of_the_demo_plan_is_written_byte_for_byte_as_before(measured):
    demo_plan = measured
    odd = Measurement.objects.filter(plan=demo_plan).order_by("pk")
    first = odd.first()
    # Values the former export wrote in its own way: tiny, whole and huge numbers, guarded notes.
    Measurement.objects.filter(pk=first.pk).update(
        value=Decimal("0.0001"), note="=SUM(A1)", status="final"
    )
    Measurement.objects.filter(pk=odd[1].pk).update(value=Decimal("-1200.000"), note="'-x")
    Measurement.objects.filter(pk=odd[2].pk).update(value=Decimal("2E+15"))
    for sheet in SHEETS:
        rows = register_rows(sheet, demo_plan)
        assert register_csv(sheet, rows) == former_register_csv(sheet, rows), sheet.name
    streamed = register_csv(MEASUREMENTS, register_rows(MEASUREMENTS, demo_plan)).decode()
    assert ";0,0001;konečná;'=SUM(A1);" in streamed
    assert ";-1200;" in streamed
    assert ";2000000000000000;" in streamed


def test_measurements_are_read_as_values_not_instances():
    assert register_stream.sheet_paths(MEASUREMENTS) == [
        "sub_indicator__code",
        "period_start",
        "date",
        "value",
        "status",
        "note",
        "",
    ]


def _data_lines(chunk: bytes) -> int:
    return chunk.decode("utf-8-sig").count("\r\n")


def test_the_export_page_streams_and_sends_a_chunk_before_reading_all_rows(
    coordinator_client, measured, monkeypatch
):
    demo_plan = measured
    total = Measurement.objects.filter(plan=demo_plan).count()
    assert total > 40
    monkeypatch.setattr(register_stream, "CHUNK_ROWS", 10)
    response = coordinator_client.get(reverse(URL, args=["csv"]), {"plan__id__exact": demo_plan.pk})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].endswith('.csv"')
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        header = next(chunks)
        first = next(chunks)
    assert header.startswith("\ufeffDílčí indikátor;Období od;Datum".encode())
    assert _data_lines(first) == 10  # one fetch of ten rows, not the whole table
    # One query of the values (of the first sub-indicator code's values: see
    # ordered_blocks), besides the list of sub-indicator codes (on SQLite: of the
    # sub-indicators with values) and the transaction.
    read = [
        query["sql"]
        for query in queries
        if "indicators_measurement" in query["sql"]
        and not query["sql"].startswith('SELECT "indicators_subindicator"')
    ]
    assert len(read) == 1
    assert len(queries) <= 3
    rest = b"".join(chunks)
    assert _data_lines(header + first + rest) == 1 + total


def _export_queries(client, plan):
    cache.clear()  # the two-factor gate asks as on a first visit each time
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL, args=["csv"]), {"plan__id__exact": plan.pk})
        body = b"".join(response.streaming_content)
    return len(queries), _data_lines(body)


def test_query_count_does_not_grow_with_the_rows(coordinator_client, measured):
    demo_plan = measured
    few_queries, few_lines = _export_queries(coordinator_client, demo_plan)
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    Measurement.objects.bulk_create(
        Measurement(
            plan=demo_plan,
            sub_indicator=sub,
            date=dt.date(1990, 1, 1) + dt.timedelta(days=n),
            value=Decimal(n),
        )
        for n in range(3000)
    )
    many_queries, many_lines = _export_queries(coordinator_client, demo_plan)
    assert many_lines == few_lines + 3000
    assert many_queries == few_queries


def test_only_what_the_user_may_see_is_exported(demo_plan, other_plan, django_user_model):
    stranger = django_user_model.objects.create_user("cizi", password="heslo-ciziho")
    stranger.is_staff = True
    stranger.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(stranger)
    assert client.get(reverse(URL, args=["csv"])).status_code == 403
    plan_role_grant(plan=other_plan, user=stranger, role="coordinator")
    stranger.save()
    response = client.get(reverse(URL, args=["csv"]))
    if response.status_code == 200:  # a coordinator of another plan sees none of the demo's
        assert _data_lines(b"".join(response.streaming_content)) == 1
    else:
        assert response.status_code == 403


def test_the_lists_search_is_kept(coordinator_client, measured):
    demo_plan = measured
    sub = SubIndicator.objects.filter(plan=demo_plan).order_by("code").first()
    Measurement.objects.filter(plan=demo_plan, sub_indicator=sub).update(note="hledaná poznámka")
    response = coordinator_client.get(
        reverse(URL, args=["csv"]), {"plan__id__exact": demo_plan.pk, "q": "hledaná"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()[1:]
    expected = Measurement.objects.filter(plan=demo_plan, sub_indicator=sub).count()
    assert len(lines) == expected
    assert all("hledaná poznámka" in line for line in lines)
