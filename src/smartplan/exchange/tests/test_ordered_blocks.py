"""The register CSV read a block of sub-indicator codes at a time (ordered_blocks) is the file
one query in the register's order writes, byte for byte; and the export page keeps the list's
filters when it adds them to its own query."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartplan.exchange import ordered_blocks, register_stream
from smartplan.exchange.registers import MEASUREMENTS, sheet_for_model
from smartplan.exchange.workbook_writer import register_rows
from smartplan.indicators.models import Indicator, Measurement, SubIndicator
from smartplan.projects.models import FlagshipProject

pytestmark = pytest.mark.django_db

URL = "admin:indicators_measurement_export"
CODES = ["-99.1", 'kód "x";1', "990.1", "99.1", "99.10", "Q", "q", "Ž"]
NOTES = ["", "=SUM(A1)", 'řekl "ano"', "dva;sloupce", "první\r\ndruhý", "'-", "%s %d"]


@pytest.fixture
def two_plans(demo_plan, other_plan):
    """The same sub-indicator codes in two plans (a code is unique only within its plan),
    their values on interleaved dates, notes that SQLite leaves to Python, and codes whose
    order is easy to get wrong (a digit, a letter case, a Czech letter, a quote)."""
    subs = []
    for plan in (demo_plan, other_plan):
        indicator = Indicator.objects.filter(plan=demo_plan).order_by("pk").first()
        indicator.pk = None
        indicator.id = None
        indicator._state.adding = True
        indicator.plan = plan
        indicator.project = None
        indicator.number = 900
        indicator.save()
        for code in CODES:
            sub = SubIndicator.objects.filter(plan=demo_plan).order_by("pk").first()
            sub.pk = None
            sub.id = None
            sub._state.adding = True
            sub.plan = plan
            sub.indicator = indicator
            sub.code = code
            sub.observation_series = None
            sub.save()
            subs.append(sub)
    Measurement.objects.bulk_create(
        Measurement(
            plan=sub.plan,
            sub_indicator=sub,
            date=dt.date(2020, 1, 1) + dt.timedelta(days=7 * day + number % 3),
            period_start=dt.date(2019, 12, 1) if day % 3 == 0 else None,
            value=Decimal(day * 37 + number) / Decimal(8),
            note=NOTES[(day + number) % len(NOTES)],
        )
        for number, sub in enumerate(subs)
        for day in range(9)
    )
    return demo_plan, other_plan


def _whole(queryset, read, *, chunk_size):
    return read(queryset)


def _one_query(monkeypatch, rows):
    with monkeypatch.context() as patched:
        patched.setattr(register_stream, "ordered_row_chunks", _whole)
        return register_stream.register_csv_bytes(MEASUREMENTS, rows)


def _python_only(monkeypatch, rows):
    with monkeypatch.context() as patched:
        patched.setattr(register_stream, "sql_lines", lambda *args: None)
        return register_stream.register_csv_bytes(MEASUREMENTS, rows)


@pytest.mark.parametrize("keys", [1, 3, 64])
def test_blocks_of_codes_write_the_file_one_query_writes(two_plans, monkeypatch, keys):
    monkeypatch.setattr(ordered_blocks, "BLOCK_KEYS", keys)
    monkeypatch.setattr(register_stream, "CHUNK_ROWS", 5)
    for plan in (*two_plans, None):
        rows = register_rows(MEASUREMENTS, plan)
        written = register_stream.register_csv_bytes(MEASUREMENTS, rows)
        assert written == _one_query(monkeypatch, rows)
        assert written == _python_only(monkeypatch, rows)
    blocks = list(ordered_blocks.ordered_blocks(register_rows(MEASUREMENTS, None)))
    if keys == 1:  # a block per code (of both plans)
        assert len(blocks) == SubIndicator.objects.values("code").distinct().count()
    else:
        assert len(blocks) > 1


def _records(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_same_code_in_two_plans_is_in_one_block_ordered_by_date(two_plans, monkeypatch):
    monkeypatch.setattr(ordered_blocks, "BLOCK_KEYS", 1)
    records = _records(
        register_stream.register_csv_bytes(MEASUREMENTS, register_rows(MEASUREMENTS, None))
    )[1:]
    dates = [
        dt.date(*map(int, reversed(record[2].split(". "))))
        for record in records
        if record[0] == "99.10"
    ]
    assert len(dates) == 18  # nine values in each plan
    assert dates == sorted(dates)
    codes = [record[0] for record in records]
    assert codes.index("99.1") < codes.index("99.10") < codes.index("Q") < codes.index("q")
    assert codes.index('kód "x";1') < codes.index("Ž")


def test_a_register_not_ordered_by_a_related_row_is_one_query(demo_plan):
    projects = sheet_for_model(FlagshipProject)
    assert projects is not None
    rows = register_rows(projects, demo_plan)
    assert list(ordered_blocks.ordered_blocks(rows)) == [rows]
    measurements = register_rows(MEASUREMENTS, demo_plan)
    assert ordered_blocks.blockable(measurements)
    assert not ordered_blocks.blockable(measurements.order_by("-sub_indicator__code"))
    assert not ordered_blocks.blockable(measurements.order_by("date"))
    assert not ordered_blocks.blockable(measurements[:10])
    assert not ordered_blocks.blockable(measurements.distinct())


def _export(client, query):
    response = client.get(reverse(URL, args=["csv"]), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_page_exports_the_plan_filtered_as_its_list_does(coordinator_client, two_plans):
    demo_plan, other_plan = two_plans
    for plan in two_plans:
        with CaptureQueriesContext(connection) as queries:
            body = _export(coordinator_client, {"plan__id__exact": plan.pk})
        assert body == register_stream.register_csv_bytes(
            MEASUREMENTS, register_rows(MEASUREMENTS, plan)
        )
        read = [q["sql"] for q in queries if "indicators_measurement" in q["sql"]]
        # The list's filter is a condition of the export's own query, not a list of keys.
        assert not any('"indicators_measurement"."id" IN (SELECT' in sql for sql in read)
    # The indicator filter of the demo plan's list (it has many indicators, so the filter
    # is shown and used): only the values of the eight codes under indicator 900.
    sub = SubIndicator.objects.get(plan=demo_plan, code="99.10")
    text = _export(
        coordinator_client,
        {"plan__id__exact": demo_plan.pk, "sub_indicator__indicator__id__exact": sub.indicator_id},
    )
    assert len(_records(text)) == 1 + 9 * len(CODES)
    found = _records(_export(coordinator_client, {"plan__id__exact": other_plan.pk, "q": "99.10"}))
    whole = _records(
        register_stream.register_csv_bytes(MEASUREMENTS, register_rows(MEASUREMENTS, other_plan))
    )
    assert found[1:] == [record for record in whole if record[0] == "99.10"]
    assert len(found) == 1 + 9


def test_a_list_that_counts_is_exported_through_its_keys(coordinator_client, demo_plan):
    """The projects' list annotates a sum: its rows are then found by primary key."""
    sheet = sheet_for_model(FlagshipProject)
    assert sheet is not None
    response = coordinator_client.get(
        reverse("admin:projects_flagshipproject_export", args=["csv"]),
        {"plan__id__exact": demo_plan.pk},
    )
    assert b"".join(response.streaming_content) == register_stream.register_csv_bytes(
        sheet, register_rows(sheet, demo_plan)
    )


@pytest.mark.parametrize("whose", ["both plans", "one plan"])
def test_a_download_stopped_halfway_ends_its_transaction(two_plans, monkeypatch, whose):
    """The blocks are read in one transaction: a client that goes away ends it (the ranges
    of codes both plans share, and one plan's statements per sub-indicator)."""
    monkeypatch.setattr(register_stream, "CHUNK_ROWS", 5)
    before = len(connection.atomic_blocks)
    plan = None if whose == "both plans" else two_plans[1]
    chunks = register_stream.register_csv_chunks(MEASUREMENTS, register_rows(MEASUREMENTS, plan))
    next(chunks)  # the header
    next(chunks)  # the first rows
    assert len(connection.atomic_blocks) == before + 1
    chunks.close()
    assert len(connection.atomic_blocks) == before


def _measured_codes(plan, codes):
    """Sub-indicators of ``plan`` only, with values: codes no other plan has."""
    model = SubIndicator.objects.filter(plan=plan).order_by("pk").first()
    for code in codes:
        model.pk = None
        model.id = None
        model._state.adding = True
        model.code = code
        model.observation_series = None
        model.save()
        Measurement.objects.bulk_create(
            Measurement(
                plan=plan,
                sub_indicator=model,
                date=dt.date(2021, 1, 1) + dt.timedelta(days=3 * day),
                period_start=dt.date(2020, 12, 1) if day % 2 else None,
                value=Decimal(day) / Decimal(3 + day),
                note=NOTES[day % len(NOTES)],
            )
            for day in range(7)
        )


@pytest.mark.parametrize("chunk_rows", [3, 2000])
def test_codes_of_one_sub_indicator_and_shared_codes_mixed_keep_the_order(
    two_plans, monkeypatch, chunk_rows
):
    """Codes held by one sub-indicator (first, between the shared ones, last) are read one
    statement each, the codes both plans share in ranges between them: the file is the one
    a single query writes, on both databases."""
    monkeypatch.setattr(register_stream, "CHUNK_ROWS", chunk_rows)
    monkeypatch.setattr(ordered_blocks, "BLOCK_KEYS", 2)
    _measured_codes(two_plans[1], ["!", "99.1a", "99.100", "R", "ž"])
    for plan in (*two_plans, None):
        rows = register_rows(MEASUREMENTS, plan)
        written = register_stream.register_csv_bytes(MEASUREMENTS, rows)
        assert written == _one_query(monkeypatch, rows)
        assert written == _python_only(monkeypatch, rows)
    records = _records(
        register_stream.register_csv_bytes(MEASUREMENTS, register_rows(MEASUREMENTS, None))
    )[1:]
    codes = [record[0] for record in records]
    assert codes[0] == "!"
    assert codes[-1] == "ž"
    assert codes.count("99.100") == 7
    assert codes.index("99.10") < codes.index("99.100") < codes.index("99.1a") < codes.index("Q")


def test_a_plans_own_export_reads_each_sub_indicator_without_a_sort(two_plans, monkeypatch):
    """SQLite: a plan's codes are its own, so each sub-indicator's values are read by one
    statement, compiled once, in the order of an index (nothing sorts them)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL reads ranges of codes on a server-side cursor")
    plan = two_plans[1]
    rows = register_rows(MEASUREMENTS, plan)
    with CaptureQueriesContext(connection) as queries:
        written = register_stream.register_csv_bytes(MEASUREMENTS, rows)
    read = [q["sql"] for q in queries if "smartplan_csv_line" in q["sql"]]
    measured = SubIndicator.objects.filter(plan=plan, measurements__isnull=False).distinct()
    assert len(read) == measured.count() == len(CODES)
    assert len(set(read)) == len(read)  # each with its own key: the parameter was replaced
    assert not any(" IN (SELECT" in sql for sql in read)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + read[0])
        plan_lines = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "TEMP B-TREE" not in plan_lines
    assert written == _python_only(monkeypatch, rows)
