"""The "Role" sheet: roles granted by import, written by export, problems in Czech."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import User

from smartplan.access.models import PlanRole
from smartplan.access.services import plan_role_grant
from smartplan.core.problems import ImportRefusedError
from smartplan.exchange.plan_rows import PlanRows, plan_rows_write
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.indicators.models import SubIndicator
from smartplan.projects.models import FlagshipProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo_plan):
    return {
        "garant": User.objects.create_user("garant-x", "garant@example.invalid"),
        "data": User.objects.create_user("data-y", "data@example.invalid"),
    }


def _write(plan, rows):
    return plan_rows_write(
        rows=PlanRows(source="role.xlsx", sheets={"Role": rows}), plan_slug=plan.slug
    )


def test_roles_are_granted_by_import_with_their_projects_and_sub_indicators(demo_plan, people):
    sub = SubIndicator.objects.filter(plan=demo_plan).order_by("code").first()
    _write(
        demo_plan,
        [
            (2, {"user": "garant-x", "role": "garant", "projects": "4, 1"}),
            (3, {"user": "DATA@example.invalid", "role": "poskytovatel dat",
                 "sub_indicators": sub.code}),
        ],
    )  # fmt: skip
    guarantor = PlanRole.objects.get(plan=demo_plan, user=people["garant"], role="guarantor")
    assert sorted(p.number for p in guarantor.projects.all()) == [1, 4]
    provider = PlanRole.objects.get(plan=demo_plan, user=people["data"], role="provider")
    assert list(provider.sub_indicators.all()) == [sub]
    people["garant"].refresh_from_db()
    assert people["garant"].is_staff  # the role opens the editing interface
    assert people["garant"].has_perm(
        "projects.change_flagshipproject", FlagshipProject.objects.get(plan=demo_plan, number=4)
    )
    # The same rows again change nothing.
    report = _write(demo_plan, [(2, {"user": "garant-x", "role": "garant", "projects": "1, 4"})])
    assert report.sheets[0].unchanged == 1


def test_unknown_roles_and_projects_are_problems_at_their_place(demo_plan, people):
    with pytest.raises(ImportRefusedError) as refused:
        _write(
            demo_plan,
            [
                (3, {"user": "garant-x", "role": "šéf"}),
                (4, {"user": "garant-x", "role": "garant", "projects": "99"}),
            ],
        )
    text = str(refused.value)
    assert "list Role, řádek 3, sloupec Role: „šéf“" in text
    assert "koordinátor, garant, poskytovatel dat" in text
    assert "list Role, řádek 4, sloupec Projekty: „99“" in text
    assert not PlanRole.objects.filter(user=people["garant"]).exists()


def test_an_unknown_account_is_a_warning_and_the_rest_comes_in(demo_plan, people):
    """A plan's workbook taken to another instance names accounts it does not have yet."""
    report = _write(
        demo_plan,
        [
            (2, {"user": "nikdo", "role": "garant", "projects": "4"}),
            (3, {"user": "garant-x", "role": "koordinátor"}),
        ],
    )
    warnings = [str(w) for w in report.warnings]
    assert any("nikdo" in w and "neexistuje žádný uživatel" in w for w in warnings)
    assert any("role nebyla udělena" in w for w in warnings)
    assert PlanRole.objects.filter(plan=demo_plan, user=people["garant"], role="coordinator")


def test_the_workbook_carries_the_roles_and_imports_back_unchanged(demo_plan, people, tmp_path):
    project = FlagshipProject.objects.get(plan=demo_plan, number=4)
    plan_role_grant(plan=demo_plan, user=people["garant"], role="guarantor", projects=[project])
    plan_role_grant(plan=demo_plan, user=people["data"], role="steering")
    target = io.BytesIO()
    plan_workbook_save(plan=demo_plan, target=target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue()))["Role"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Uživatel", "Role", "Projekty", "Dílčí indikátory"]
    assert ["data-y", "člen řídicí skupiny", None, None] in [r[:4] for r in rows]
    assert ["garant-x", "garant", "4", None] in [
        [r[0], r[1], str(r[2]) if r[2] is not None else None, r[3]] for r in rows
    ]
