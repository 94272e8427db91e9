import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.indicators.models import Measurement, MeasurementRevision, SubIndicator
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save

pytestmark = pytest.mark.django_db


def test_windows_1250_semicolons_decimal_commas_czech_dates(demo_plan, tmp_path):
    path = tmp_path / "mereni.csv"
    path.write_bytes(
        "Indikátor;Období od;Datum;Hodnota;Poznámka\n"
        "1.1;1. 1. 2021;31. 12. 2021;4 250,5;Stažení za rok 2021 – odhad\n"
        "8;;30.06.2021;2;\n"  # indicator 8 has one sub-indicator, so its number is enough
        "6.1;;2022-09-01;1;Centrum otevřeno\n".encode("cp1250")
    )
    result = measurements_import(plan=demo_plan, path=path)
    assert (result.created, result.updated) == (3, 0)
    downloads = Measurement.objects.get(sub_indicator__code="1.1")
    assert (downloads.value, downloads.period_start, downloads.date) == (
        Decimal("4250.5"),
        dt.date(2021, 1, 1),
        dt.date(2021, 12, 31),
    )
    assert downloads.note == "Stažení za rok 2021 – odhad"
    assert Measurement.objects.get(sub_indicator__code="8.1").value == 2
    again = measurements_import(plan=demo_plan, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_utf8_with_bom_commas_and_points(demo_plan, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("\ufeffcode,date,value\n1.2,2021-06-30,3.0\n", encoding="utf-8")
    assert measurements_import(plan=demo_plan, path=path).created == 1


def test_problems_are_listed_and_nothing_written(demo_plan, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "indikátor;datum;hodnota\n"
        "1.1;31. 12. 2021;10\n"  # off track without a note
        "1;31. 12. 2021;10\n"  # indicator 1 has three sub-indicators
        "9.9;31. 12. 2021;1\n"
        "6.1;1. 1. 2022;2\n"  # a milestone is 0 or 1
        "8.1;32. 1. 2022;x\n"
        "1.1;31. 12. 2021;11\n",  # the same sub-indicator and date again
        encoding="utf-8",
    )
    with pytest.raises(ImportRefusedError) as caught:
        measurements_import(plan=demo_plan, path=path)
    text = str(caught.value)
    assert len(caught.value.problems) == 7
    for row in (2, 3, 4, 5, 6, 7):
        assert f"řádek {row}" in text
    # 10 downloads against a target of thousands is off track: the row needs a note.
    assert "řádek 2, sloupec poznámka" in text
    assert "mimo plán" in text
    assert Measurement.objects.count() == 0


def test_a_date_or_period_start_that_is_no_date_names_its_cell(demo_plan, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "indikátor;Období od;datum;hodnota\n"
        "1.2;;31. 6. 2021;3\n"  # June has 30 days
        "1.2;1. 13. 2021;30. 6. 2021;3\n"
        "1.2;;30. 6. 2021;3\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefusedError) as caught:
        measurements_import(plan=demo_plan, path=path)
    problems = caught.value.problems
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "datum", "31. 6. 2021"),
        (3, "od", "1. 13. 2021"),
    ]
    assert {p.message for p in problems} == {"očekává se datum, např. 5. 2. 2020 nebo 2020-02-05"}
    assert Measurement.objects.count() == 0


def test_command_exit_code(demo_plan, tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text("indikátor;datum;hodnota\n9.9;1. 1. 2021;1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("import_measurements", str(path), "--plan", demo_plan.slug)
    assert exited.value.code == 2
    assert "9.9" in capsys.readouterr().err


def _write_csv(path, rows, *, encoding="cp1250", delimiter=";"):
    """A CSV file as Excel saves it (Windows-1250 and semicolons by default)."""
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)


@pytest.fixture
def final_downloads(demo_plan):
    """1.1 downloads: a final 10 000 at the end of 2021 (the value of issue 9)."""
    downloads = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    return measurement_save(
        entry=MeasurementEntry(
            sub_indicator=downloads, date=dt.date(2021, 12, 31), value=Decimal(10000), final=True
        ),
        user=None,
    )


def test_a_row_changing_a_final_value_is_refused_without_a_reason(
    demo_plan, tmp_path, final_downloads
):
    path = tmp_path / "mereni.csv"
    _write_csv(
        path,
        [
            ["Indikátor", "Datum", "Hodnota", "Poznámka"],
            ["1.1", "31. 12. 2021", "0", "Sčítač přístupů nefungoval"],
        ],
    )
    with pytest.raises(ImportRefusedError) as caught:
        measurements_import(plan=demo_plan, path=path)
    text = str(caught.value)
    assert "mereni.csv nebyl naimportován (1 problém); nic nebylo zapsáno" in text
    assert "řádek 2, sloupec důvod změny: Hodnota 1.1 k 31. 12. 2021 je konečná" in text
    final_downloads.refresh_from_db()
    assert (final_downloads.value, final_downloads.status) == (10000, "final")
    assert not MeasurementRevision.objects.exists()


@pytest.mark.parametrize(
    ("encoding", "delimiter", "header"),
    [("cp1250", ";", "Důvod změny"), ("utf-8-sig", ",", "reason")],
)
def test_a_reason_column_changes_a_final_value_and_keeps_its_revision(
    demo_plan, tmp_path, final_downloads, django_user_model, encoding, delimiter, header
):
    user = django_user_model.objects.create_user("importer")
    path = tmp_path / "mereni.csv"
    _write_csv(
        path,
        [
            ["Indikátor", "Datum", "Hodnota", "Poznámka", header],
            ["1.1", "31. 12. 2021", "0", "Sčítač nefungoval", "Oprava: sčítač byl vypnutý"],
            ["1.1", "30. 6. 2021", "5 000", "", ""],  # a new value needs no reason
        ],
        encoding=encoding,
        delimiter=delimiter,
    )
    result = measurements_import(plan=demo_plan, path=path, user=user)
    assert (result.created, result.updated, result.unchanged, result.revisions) == (1, 1, 0, 1)
    final_downloads.refresh_from_db()
    assert (final_downloads.value, final_downloads.status) == (0, "final")
    revision = MeasurementRevision.objects.get(measurement=final_downloads)
    assert (revision.old_value, revision.old_status, revision.reason, revision.changed_by) == (
        Decimal(10000),
        "final",
        "Oprava: sčítač byl vypnutý",
        user,
    )
    assert Measurement.objects.filter(sub_indicator__code="1.1").count() == 2


def test_a_file_without_note_or_period_columns_keeps_the_stored_ones(demo_plan, tmp_path):
    downloads = SubIndicator.objects.get(plan=demo_plan, code="1.1")
    measurement_save(
        entry=MeasurementEntry(
            sub_indicator=downloads,
            date=dt.date(2021, 12, 31),
            period_start=dt.date(2021, 1, 1),
            value=Decimal(4000),
            note="odhad",
        ),
        user=None,
    )
    path = tmp_path / "m.csv"
    _write_csv(path, [["kód", "datum", "hodnota"], ["1.1", "31. 12. 2021", "4 500"]])
    assert measurements_import(plan=demo_plan, path=path).updated == 1
    stored = Measurement.objects.get(sub_indicator=downloads)
    assert (stored.value, stored.note, stored.period_start) == (
        Decimal(4500),
        "odhad",
        dt.date(2021, 1, 1),
    )
