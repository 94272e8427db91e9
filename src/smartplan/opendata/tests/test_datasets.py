"""The dataset registry: its declarations hold together, rows come from the cursor, contact
details only for public contacts, private plans publish nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartplan.opendata.datasets import (
    DATATYPES,
    FILE_TYPE,
    FREQUENCY,
    THEME,
    dataset,
    dataset_modified,
    datasets,
    distributions,
    plan_datasets,
    published_datasets_count,
)
from smartplan.organisations.models import Person
from smartplan.plans.models import Plan
from smartplan.projects.models import FlagshipProject

KEYS = ["projekty", "aktivity", "cerpani", "indikatory", "mereni", "zasobnik", "zdroje", "obce",
        "rozhodnuti"]  # fmt: skip


def test_the_registry_declares_every_public_register_once() -> None:
    assert [item.key for item in datasets()] == KEYS
    for item in datasets():
        names = item.column_names
        assert len(set(names)) == len(names), item.key
        assert all(column.datatype in DATATYPES for column in item.columns)
        assert all(column.title.cs and column.title.en for column in item.columns)
        assert all((item.title.cs, item.title.en, item.description.cs, item.description.en))
        assert item.keywords
        assert all(k.cs and k.en for k in item.keywords)
        assert item.themes
        assert all(theme.startswith(THEME) for theme in item.themes)
        assert item.periodicity.startswith(FREQUENCY)
        # A primary key names required columns of the dataset.
        for name in item.primary_key:
            assert item.columns[names.index(name)].required, (item.key, name)
        assert dataset(item.key) is item
    with pytest.raises(KeyError):
        dataset("neni")


def test_a_private_plan_publishes_nothing(demo_plan: Plan) -> None:
    assert plan_datasets(demo_plan) == datasets()
    assert published_datasets_count(demo_plan) == len(KEYS)
    demo_plan.published = False
    assert plan_datasets(demo_plan) == ()
    assert published_datasets_count(demo_plan) == 0


def test_distributions_describe_each_format(demo_plan: Plan) -> None:
    by_format = {d.format: d for d in distributions(demo_plan, "mereni")}
    assert set(by_format) == {"csv", "json", "xlsx"}
    csv = by_format["csv"]
    assert csv.download_path == "/data/liberec-2020/mereni.csv"
    assert csv.schema_path == "/data/liberec-2020/mereni.csv-metadata.json"
    assert csv.media_type == "text/csv"
    assert csv.media_type_iri == "http://www.iana.org/assignments/media-types/text/csv"
    assert csv.file_type_iri == FILE_TYPE + "CSV"
    assert by_format["xlsx"].file_type_iri == FILE_TYPE + "XLSX"
    assert by_format["json"].schema_path is None


@pytest.mark.parametrize("key", KEYS)
def test_rows_come_in_one_query_whatever_the_size(demo_plan: Plan, key: str) -> None:
    item = dataset(key)
    with CaptureQueriesContext(connection) as queries:
        rows = list(item.rows(demo_plan))
    assert len(queries) == 1
    assert len(rows) == item.row_count(demo_plan)
    assert all(len(row) == len(item.columns) for row in rows)


def test_contact_details_only_for_public_contacts(demo_plan: Plan) -> None:
    project = FlagshipProject.objects.filter(plan=demo_plan).order_by("number").first()
    assert project is not None
    person = Person.objects.create(
        plan=demo_plan, name="Jana Veřejná", email="jana@example.invalid", phone="+420 123"
    )
    project.guarantor_contact = person
    project.save()
    item = dataset("projekty")
    names = item.column_names

    def row() -> tuple[object, ...]:
        return next(r for r in item.rows(demo_plan) if r[0] == project.number)

    hidden = row()
    assert hidden[names.index("kontakt_garanta_jmeno")] == "Jana Veřejná"
    assert hidden[names.index("kontakt_garanta_email")] is None
    assert hidden[names.index("kontakt_garanta_telefon")] is None
    Person.objects.filter(pk=person.pk).update(publish_contact=True)
    shown = row()
    assert shown[names.index("kontakt_garanta_email")] == "jana@example.invalid"
    assert shown[names.index("kontakt_garanta_telefon")] == "+420 123"


def test_activity_years_are_calendar_years(demo_plan: Plan) -> None:
    item = dataset("aktivity")
    names = item.column_names
    timed = [r for r in item.rows(demo_plan) if r[names.index("rok_od")] is not None]
    assert timed
    for r in timed:
        assert demo_plan.period_from <= r[names.index("rok_od")] <= demo_plan.period_to + 10


def test_dataset_modified_follows_a_change(demo_plan: Plan) -> None:
    before = dataset_modified(demo_plan, "projekty")
    assert before is not None
    project = FlagshipProject.objects.filter(plan=demo_plan).first()
    assert project is not None
    project.subtitle = "Nový podtitul"
    project.save()
    after = dataset_modified(demo_plan, "projekty")
    assert after is not None
    assert after >= before
    assert after >= project.updated_at - dt.timedelta(seconds=1)
    with CaptureQueriesContext(connection) as queries:
        dataset_modified(demo_plan, "mereni")
    assert len(queries) == 1
