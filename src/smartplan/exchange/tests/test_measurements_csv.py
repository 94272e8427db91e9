import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.measurements_csv import measurements_import
from smartplan.indicators.models import Measurement

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
        "1.1;31. 12. 2021;10\n"
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
    assert len(caught.value.problems) == 6
    for row in (3, 4, 5, 6, 7):
        assert f"řádek {row}" in text
    assert Measurement.objects.count() == 0


def test_command_exit_code(demo_plan, tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text("indikátor;datum;hodnota\n9.9;1. 1. 2021;1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("import_measurements", str(path), "--plan", demo_plan.slug)
    assert exited.value.code == 2
    assert "9.9" in capsys.readouterr().err
