"""The plan's workbook and single registers as LibreOffice Calc (.ods) files: the same
sheets, headers and values as the XLSX, typed cells, no formula; downloadable in the
editing interface and from the command line."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from odf.namespaces import OFFICENS, TABLENS
from odf.opendocument import load

from smartplan.exchange.ods_writer import plan_ods_save
from smartplan.exchange.workbook_writer import plan_workbook_save
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_cells(source):
    """Every sheet's rows as (value type, value) pairs read with odfpy: typed values come
    from office:value / office:date-value / office:boolean-value, text from the paragraphs,
    trailing empty cells and rows dropped (as openpyxl reads an XLSX)."""
    document = load(source)
    sheets = {}
    for table in document.spreadsheet.childNodes:
        if table.qname != (TABLENS, "table"):
            continue
        rows = []
        for row in table.childNodes:
            if row.qname != (TABLENS, "table-row"):
                continue
            values = []
            for cell in row.childNodes:
                if cell.qname != (TABLENS, "table-cell"):
                    continue
                assert cell.getAttrNS(TABLENS, "formula") is None
                kind = cell.getAttrNS(OFFICENS, "value-type")
                if kind == "float":
                    value = Decimal(cell.getAttrNS(OFFICENS, "value"))
                elif kind == "date":
                    value = dt.date.fromisoformat(cell.getAttrNS(OFFICENS, "date-value")[:10])
                elif kind == "boolean":
                    value = cell.getAttrNS(OFFICENS, "boolean-value") == "true"
                elif kind == "string":
                    value = "\n".join(str(p) for p in cell.childNodes)
                else:
                    value = None
                repeated = cell.getAttrNS(TABLENS, "number-columns-repeated")
                values.extend([(kind, value)] * int(repeated or 1))
            while values and values[-1][1] is None:
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        sheets[str(table.getAttrNS(TABLENS, "name"))] = rows
    return sheets


def xlsx_cells(path):
    """The same shape from the XLSX: kinds as ODF names them."""
    workbook = openpyxl.load_workbook(path)
    sheets = {}
    for ws in workbook.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            values = []
            for value in row:
                if isinstance(value, bool):
                    values.append(("boolean", value))
                elif isinstance(value, int | float):
                    values.append(("float", Decimal(repr(value))))
                elif isinstance(value, dt.datetime | dt.date):
                    day = value.date() if isinstance(value, dt.datetime) else value
                    values.append(("date", day))
                elif value is None or value == "":
                    values.append((None, None))
                else:
                    values.append(("string", value))
            while values and values[-1][1] is None:
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        sheets[ws.title] = rows
    return sheets


def test_the_ods_workbook_has_the_xlsx_sheets_headers_and_values(demo_plan, tmp_path):
    xlsx = tmp_path / "plan.xlsx"
    ods = tmp_path / "plan.ods"
    plan_workbook_save(plan=demo_plan, target=xlsx)
    plan_ods_save(plan=demo_plan, target=ods)
    with zipfile.ZipFile(ods) as archive:
        assert archive.read("mimetype") == ODS_MIMETYPE
    expected = xlsx_cells(xlsx)
    found = ods_cells(str(ods))
    assert list(found) == list(expected)
    for sheet in expected:
        assert found[sheet] == expected[sheet], sheet
    stack = found["Zásobník projektů"]
    assert len(stack) == 54
    headers = [value for _kind, value in stack[0][:3]]
    assert headers == ["P.č.", "Oblast", "Projekt / opatření"]
    assert any(kind == "date" for kind, _value in found["Schválení"][1])
    assert any(kind == "boolean" for row in found["Osoby"] for kind, _value in row)


def test_the_header_rows_are_frozen_as_in_the_xlsx(db, tmp_path):
    """LibreOffice keeps a sheet's frozen rows in settings.xml as the view's split."""
    ods = tmp_path / "sablona.ods"
    plan_ods_save(plan=None, target=ods)
    with zipfile.ZipFile(ods) as archive:
        settings = ET.fromstring(archive.read("settings.xml"))
    config = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
    frozen = {}
    for entry in settings.iter(f"{{{config}}}config-item-map-entry"):
        items = {item.get(f"{{{config}}}name"): item.text for item in entry}
        if items.get("VerticalSplitMode") == "2":
            frozen[entry.get(f"{{{config}}}name")] = int(items["VerticalSplitPosition"])
    assert frozen["Zásobník projektů"] == 1
    assert frozen["Plán"] == 1
    assert frozen["Vysvětlivky"] == 4
    assert "Číselníky" not in frozen


def test_coded_columns_offer_drop_down_lists_as_in_the_xlsx(demo_plan, tmp_path):
    """The stack's state column offers 1-4 and the flagship column the plan's projects,
    read from the hidden lists sheet; other text only warns (as the XLSX's lists do)."""
    ods = tmp_path / "plan.ods"
    plan_ods_save(plan=demo_plan, target=ods)
    with zipfile.ZipFile(ods) as archive:
        content = ET.fromstring(archive.read("content.xml"))
    table_ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"

    def attribute(element, name):
        return element.get(f"{{{table_ns}}}{name}")

    conditions = {
        attribute(v, "name"): attribute(v, "condition")
        for v in content.iter(f"{{{table_ns}}}content-validation")
    }
    lists = ods_cells(str(ods))["Číselníky"]
    headers = [value for _kind, value in lists[0]]
    state = headers.index("Stav zásobníku")
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[state]
    stack = next(
        t
        for t in content.iter(f"{{{table_ns}}}table")
        if attribute(t, "name") == "Zásobník projektů"
    )
    second = list(stack.iter(f"{{{table_ns}}}table-row"))[1]
    names = [
        attribute(cell, "content-validation-name")
        for cell in second
        for _repeat in range(int(attribute(cell, "number-columns-repeated") or 1))
    ]
    state_list = conditions[names[4]]  # the column Stav
    assert state_list == (f"of:cell-content-is-in-list([$'Číselníky'.${letter}$2:.${letter}$5])")
    assert [row[state][1] for row in lists[1:5]] == [1, 2, 3, 4]
    assert conditions[names[8]].startswith("of:cell-content-is-in-list(")  # Fishe: projects
    assert names[0] is None  # P.č.: no list
    for validation in content.iter(f"{{{table_ns}}}content-validation"):
        (message,) = list(validation)
        assert attribute(message, "display") == "false"


def test_the_empty_template_in_ods(db, tmp_path):
    ods = tmp_path / "sablona.ods"
    plan_ods_save(plan=None, target=ods)
    found = ods_cells(str(ods))
    assert len(found["Zásobník projektů"]) == 1


def test_the_cli_writes_ods_by_option_or_by_suffix(demo_plan, tmp_path):
    by_suffix = tmp_path / "plan.ods"
    call_command("export", plan=demo_plan.slug, output=by_suffix, stdout=io.StringIO())
    by_option = tmp_path / "plan-ods.bin"
    call_command(
        "export", plan=demo_plan.slug, output=by_option, format="ods", stdout=io.StringIO()
    )
    default = tmp_path / "plan.bin"
    call_command("export", plan=demo_plan.slug, output=default, stdout=io.StringIO())
    for path in (by_suffix, by_option):
        with zipfile.ZipFile(path) as archive:
            assert archive.read("mimetype") == ODS_MIMETYPE
        assert len(ods_cells(str(path))["Zásobník projektů"]) == 54
    with default.open("rb") as handle:
        assert openpyxl.load_workbook(handle)["Zásobník projektů"].max_row == 54


def test_the_editing_interface_offers_the_ods_downloads(coordinator_client, demo_plan):
    page = coordinator_client.get(reverse("admin:plans_plan_change", args=[demo_plan.pk]))
    url = reverse("admin:plans_plan_export_ods", args=[demo_plan.pk])
    assert url in page.content.decode()
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == ODS_MIMETYPE.decode()
    assert response["Content-Disposition"].endswith('liberec-2020.ods"')
    found = ods_cells(io.BytesIO(b"".join(response.streaming_content)))
    assert len(found["Zásobník projektů"]) == 54
    template = coordinator_client.get(reverse("admin:plans_plan_template_ods"))
    empty = ods_cells(io.BytesIO(b"".join(template.streaming_content)))
    assert len(empty["Zásobník projektů"]) == 1


def test_the_ods_download_needs_the_export_permission(demo_plan):
    staff = User.objects.create_user("jen-staff", is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(staff)
    url = reverse("admin:plans_plan_export_ods", args=[demo_plan.pk])
    assert client.get(url).status_code == 403
    register = reverse("admin:stack_stackitem_export", args=["ods"])
    assert client.get(register).status_code == 403


def test_a_register_exports_as_ods_with_the_lists_filters(coordinator_client, demo_plan):
    url = reverse("admin:stack_stackitem_export", args=["ods"])
    response = coordinator_client.get(url, {"plan__id__exact": demo_plan.pk, "status__exact": 1})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.ods"')
    rows = ods_cells(io.BytesIO(response.content))["Zásobník projektů"]
    assert len(rows) == 1 + StackItem.objects.filter(plan=demo_plan, status=1).count()
    assert ("float", Decimal(250)) in [cell for row in rows for cell in row]
    changelist = coordinator_client.get(
        "/admin/stack/stackitem/", {"plan__id__exact": demo_plan.pk}
    ).content.decode()
    assert "Export ODS" in changelist
