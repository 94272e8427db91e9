import datetime as dt
from decimal import Decimal

import pytest

from smartplan.core.problems import ImportRefusedError
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.observations.services import observations_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(demo_plan):
    return ObservationSeries.objects.create(
        plan=demo_plan,
        code="voda-oa-ceska-lipa",
        name="Spotřeba vody",
        unit="m³",
        subject="Obchodní akademie Česká Lípa",
    )


def test_windows_1250_semicolons_and_decimal_commas(tmp_path, demo_plan, series):
    path = tmp_path / "voda.csv"
    path.write_bytes(
        "Řada;Od;Do;Hodnota\n"
        "voda-oa-ceska-lipa;1. 1. 2021;31. 1. 2021;1 234,5\n"
        "voda-oa-ceska-lipa;01.02.2021;28.02.2021;1100\n".encode("cp1250")
    )
    result = observations_import(plan=demo_plan, path=path)
    assert (result.created, result.updated) == (2, 0)
    january = Observation.objects.get(series=series, period_start=dt.date(2021, 1, 1))
    assert january.value == Decimal("1234.5")
    again = observations_import(plan=demo_plan, path=path)
    assert (again.created, again.updated) == (0, 0)


def test_utf8_bom_commas_and_iso_dates(tmp_path, demo_plan, series):
    path = tmp_path / "voda.csv"
    path.write_text(
        "\ufeffseries,period_start,period_end,value\nvoda-oa-ceska-lipa,2021-03-01,2021-03-31,990.25\n",
        encoding="utf-8",
    )
    assert observations_import(plan=demo_plan, path=path).created == 1


def test_every_problem_is_listed_and_nothing_written(tmp_path, demo_plan, series):
    path = tmp_path / "spatne.csv"
    path.write_text(
        "řada;od;do;hodnota\n"
        "voda-oa-ceska-lipa;1. 1. 2021;31. 1. 2021;12\n"
        "neznama;1. 2. 2021;28. 2. 2021;10\n"
        "voda-oa-ceska-lipa;32. 1. 2021;31. 1. 2021;abc\n"
        "voda-oa-ceska-lipa;1. 3. 2021;1. 2. 2021;5\n"
        "voda-oa-ceska-lipa;1. 1. 2021;31. 1. 2021;13\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefusedError) as caught:
        observations_import(plan=demo_plan, path=path)
    text = str(caught.value)
    assert len(caught.value.problems) == 5
    assert "řádek 3" in text
    assert "neznama" in text
    assert "řádek 4, sloupec od" in text
    assert "32. 1. 2021" in text
    assert "řádek 4, sloupec hodnota" in text
    assert "řádek 5, sloupec do" in text
    assert "řádek 6" in text
    assert "řádku 2" in text
    assert Observation.objects.count() == 0


def test_missing_column_and_binary_file(tmp_path, demo_plan, series):
    path = tmp_path / "x.csv"
    path.write_text("řada;od;hodnota\n", encoding="utf-8")
    with pytest.raises(ImportRefusedError, match=r"sloupec „do“ chybí|„do“"):
        observations_import(plan=demo_plan, path=path)
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ImportRefusedError):
        observations_import(plan=demo_plan, path=path)
