"""No lost updates in the editing interface: a form opened before someone else's save is
refused, shows what changed meanwhile, and writes nothing (every register form kind)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from smartplan.access.models import PlanRole, ProviderToken, Role
from smartplan.access.services import plan_role_grant, provider_token_create
from smartplan.core.plan_admin import PlanScopedAdmin
from smartplan.core.stale_edit_admin import EDIT_BASE, StaleEditFormMixin
from smartplan.core.tests.admin_form_posts import form_data
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.observations.models import Observation, ObservationSeries
from smartplan.opendata.models import Feedback
from smartplan.organisations.models import Department, Organisation
from smartplan.plans.models import Area
from smartplan.projects.models import Activity, ActivityFulfilment, FlagshipProject
from smartplan.reports.models import Report
from smartplan.resources.models import Resource
from smartplan.stack.models import StackItem

pytestmark = pytest.mark.django_db


def _editable_admins() -> list[type[models.Model]]:
    from smartplan.monitoring.admin import ReadOnlyAdmin

    return sorted(
        (
            model
            for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, PlanScopedAdmin)
            and not isinstance(model_admin, ReadOnlyAdmin)
        ),
        key=lambda model: model._meta.label,
    )


def _url(obj: models.Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _text_field(obj: models.Model, data: dict[str, Any]) -> models.Field[Any, Any]:
    """A free-text field of the row's form that two editors could both change."""
    if isinstance(obj, PlanRole):
        # A role has no free text: its one own column is the role (a choice).
        return PlanRole._meta.get_field("role")
    unique = {
        name
        for constraint in obj._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        for name in constraint.fields
    }
    for field in obj._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.URLField | models.EmailField | models.SlugField)
            and not field.choices
            and not field.unique
            and field.name not in unique
            and field.name in data
            and (field.max_length or 100) >= 20
        ):
            return field
    for field in obj._meta.concrete_fields:
        if (
            isinstance(field, models.DecimalField | models.IntegerField)
            and not field.choices
            and not field.primary_key
            and field.name not in unique
            and field.name in data
        ):
            return field
    raise AssertionError(f"no free field on {obj._meta.label}")


def _values(field: models.Field[Any, Any]) -> tuple[Any, str, Any, str]:
    """(stored by the colleague, as shown in the message; posted by the user, as posted)."""
    if isinstance(field, models.DecimalField | models.IntegerField):
        return Decimal("7"), "7", Decimal("8"), "8"
    if field.model is PlanRole and field.name == "role":
        shown = str(Role.GUARANTOR.label)
        return Role.GUARANTOR, shown, Role.STEERING, Role.STEERING.value
    return "Změna od kolegy", "Změna od kolegy", "Moje změna", "Moje změna"


def _row(model: type[models.Model], demo_plan: Any) -> models.Model:
    row = model._default_manager.filter(plan=demo_plan).order_by("pk").first()
    if row is None and model in (Observation, ObservationSeries):
        series = ObservationSeries.objects.create(
            plan=demo_plan, code="teplota", name="Teplota vzduchu", unit="°C"
        )
        observation = Observation.objects.create(
            plan=demo_plan,
            series=series,
            period_start=dt.date(2021, 1, 1),
            period_end=dt.date(2021, 1, 31),
            value=Decimal("1.5"),
            source="ČHMÚ",
        )
        row = series if model is ObservationSeries else observation
    if row is None and model is Resource:
        row = Resource.objects.create(
            plan=demo_plan,
            title="Metodika chytrých měst",
            url="https://example.invalid/metodika",
            added_on=dt.date(2021, 3, 1),
            area=Area.objects.filter(plan=demo_plan).earliest("pk"),
        )
    if row is None and model is PlanRole:
        user = get_user_model().objects.create_user("role-ke-zmene")
        row = plan_role_grant(plan=demo_plan, user=user, role=Role.PROVIDER)
    if row is None and model is ProviderToken:
        sub = SubIndicator.objects.filter(plan=demo_plan).earliest("pk")
        row = provider_token_create(
            plan=demo_plan, name="Meteostanice na radnici", sub_indicators=[sub], created_by=None
        ).token
    if row is None and model is Report:
        row = Report.objects.create(plan=demo_plan, kind="annual", year=2021)
    if row is None and model is Measurement:
        sub = SubIndicator.objects.filter(
            plan=demo_plan, source="measured", kind="number"
        ).earliest("pk")
        row = Measurement.objects.create(
            plan=demo_plan, sub_indicator=sub, date=dt.date(2021, 6, 30), value=3, note="Poprvé"
        )
    if row is None and model is Feedback:
        row = Feedback.objects.create(
            plan=demo_plan, dataset="zasobnik", message="Chybí sloupec s rokem zařazení."
        )
    assert row is not None, f"the demo plan has no {model._meta.label}"
    return row


@pytest.mark.parametrize("model", _editable_admins(), ids=lambda m: m._meta.label)
def test_a_stale_change_form_is_refused_with_what_changed_and_nothing_is_written(
    coordinator_client, demo_plan, model
):
    row = _row(model, demo_plan)
    page = coordinator_client.get(_url(row))
    html = page.content.decode()
    assert f'name="{EDIT_BASE}"' in html
    data = form_data(html, f"{model._meta.model_name}_form")
    field = _text_field(row, data)
    stored, stored_shown, _posted, posted_raw = _values(field)
    before = field.value_from_object(row)

    # A colleague saves the same row while the form is open.
    colleague = model._default_manager.get(pk=row.pk)
    setattr(colleague, field.attname, stored)
    colleague.save()

    data[field.name] = posted_raw
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(row), data)

    assert response.status_code == 200, "the form comes back with the refusal"
    text = response.content.decode()
    assert "po otevření tohoto formuláře změnil někdo jiný" in text
    label = str(field.verbose_name)
    assert re.search(re.escape(label[:1].upper() + label[1:]) + r": „", text), label
    assert f"„{stored_shown}“" in text
    shown_before = before if isinstance(before, str) else None
    if field.choices:  # a choice is shown by its label
        shown_before = str(dict(field.flatchoices)[before])
    if shown_before:
        assert f"„{shown_before[:40]}" in text
    assert getattr(model._default_manager.get(pk=row.pk), field.attname) == stored
    assert model._default_manager.get(pk=row.pk).version == colleague.version


@pytest.mark.parametrize("model", _editable_admins(), ids=lambda m: m._meta.label)
def test_the_same_form_saves_when_nobody_changed_the_row(coordinator_client, demo_plan, model):
    """The round trip of the form is what the refusal above is measured against."""
    row = _row(model, demo_plan)
    html = coordinator_client.get(_url(row)).content.decode()
    data = form_data(html, f"{model._meta.model_name}_form")
    field = _text_field(row, data)
    _stored, _shown, posted, posted_raw = _values(field)
    data[field.name] = posted_raw
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(row), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert getattr(model._default_manager.get(pk=row.pk), field.attname) == posted


def _inline_prefix(data: dict[str, Any], model: str, index: int = 0) -> str:
    matches = sorted(
        {m.group(0) for name in data if (m := re.match(rf"^[\w-]*{model}[\w-]*?-{index}-", name))}
    )
    assert matches, f"no inline rows of {model}"
    return matches[0]


def test_an_inline_row_changed_meanwhile_refuses_the_whole_save(coordinator_client, demo_plan):
    organisation = Organisation.objects.filter(plan=demo_plan, departments__isnull=False).first()
    html = coordinator_client.get(_url(organisation)).content.decode()
    data = form_data(html, "organisation_form")
    prefix = _inline_prefix(data, "departments")
    department = Department.objects.get(pk=data[f"{prefix}id"])
    colleague = Department.objects.get(pk=department.pk)
    colleague.name = "Odbor změněný kolegou"
    colleague.save()

    data[f"{prefix}name"] = "Můj název odboru"
    data["name"] = "Můj název organizace"
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(organisation), data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Odbor změněný kolegou" in text
    assert f"„{department.name}“" in text
    organisation.refresh_from_db()
    assert organisation.name != "Můj název organizace"
    assert Department.objects.get(pk=department.pk).name == "Odbor změněný kolegou"


def test_a_row_that_loses_the_race_after_the_check_rolls_back_its_parent(
    coordinator_client, demo_plan, monkeypatch
):
    """The inline row's check passes as if the colleague's save came just after it: the
    conditional update refuses the row, the parent saved a moment before is rolled back, and
    the form comes back with what changed (the second check sees it)."""
    organisation = Organisation.objects.filter(plan=demo_plan, departments__isnull=False).first()
    html = coordinator_client.get(_url(organisation)).content.decode()
    data = form_data(html, "organisation_form")
    prefix = _inline_prefix(data, "departments")
    department_id = int(data[f"{prefix}id"])
    colleague = Department.objects.get(pk=department_id)
    colleague.name = "Odbor změněný kolegou"
    colleague.save()
    original = StaleEditFormMixin.stale_edit_problems
    passed = []

    def check_before_the_colleague_saved(form, **kwargs):
        if isinstance(form.instance, Department) and not passed:
            passed.append(True)
            form.instance.version = form.edit_base.version
            return []
        return original(form, **kwargs)

    monkeypatch.setattr(StaleEditFormMixin, "stale_edit_problems", check_before_the_colleague_saved)
    data[f"{prefix}name"] = "Můj název odboru"
    data["name"] = "Můj název organizace"
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(organisation), data)

    assert passed
    assert response.status_code == 200
    assert "Odbor změněný kolegou" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name != "Můj název organizace"
    assert Department.objects.get(pk=department_id).name == "Odbor změněný kolegou"


def test_deleting_an_inline_row_changed_meanwhile_is_refused(coordinator_client, demo_plan):
    organisation = Organisation.objects.filter(plan=demo_plan).first()
    department = Department.objects.create(
        plan=demo_plan, organisation=organisation, name="Odbor ke zrušení"
    )
    html = coordinator_client.get(_url(organisation)).content.decode()
    data = form_data(html, "organisation_form")
    prefix = next(
        name[: -len("id")]
        for name, value in data.items()
        if name.endswith("-id") and value == str(department.pk)
    )
    colleague = Department.objects.get(pk=department.pk)
    colleague.name = "Odbor, který kolega ponechal"
    colleague.save()

    data[f"{prefix}DELETE"] = "on"
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(organisation), data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "nebyl proto smazán" in text
    assert "Odbor, který kolega ponechal" in text
    assert Department.objects.filter(pk=department.pk).exists()

    # Reloaded, the same deletion goes through.
    html = coordinator_client.get(_url(organisation)).content.decode()
    data = form_data(html, "organisation_form")
    data[f"{prefix}DELETE"] = "on"
    data["_save"] = "Uložit"
    assert coordinator_client.post(_url(organisation), data).status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()


def test_a_nested_inline_row_carries_its_start_and_is_refused(coordinator_client, demo_plan):
    """Project → activity → yearly fulfilment: the fulfilment action gets the version."""
    fulfilment = ActivityFulfilment.objects.filter(plan=demo_plan).order_by("pk").first()
    project = fulfilment.activity.project
    html = coordinator_client.get(_url(project)).content.decode()
    data = form_data(html, "flagshipproject_form")
    prefix = next(
        name[: -len("id")]
        for name, value in data.items()
        if "fulfilments" in name and name.endswith("-id") and value == str(fulfilment.pk)
    )
    assert f"{prefix}{EDIT_BASE}" in data
    colleague = ActivityFulfilment.objects.get(pk=fulfilment.pk)
    colleague.outputs = "Výstupy podle kolegy"
    colleague.save()

    data[f"{prefix}outputs"] = "Moje výstupy"
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(project), data)

    assert response.status_code == 200
    assert "Výstupy podle kolegy" in response.content.decode()
    assert ActivityFulfilment.objects.get(pk=fulfilment.pk).outputs == "Výstupy podle kolegy"


def test_a_stack_status_change_on_a_stale_form_is_refused(coordinator_client, demo_plan):
    item = StackItem.objects.filter(plan=demo_plan, status=1).first()
    html = coordinator_client.get(_url(item)).content.decode()
    data = form_data(html, "stackitem_form")
    colleague = StackItem.objects.get(pk=item.pk)
    colleague.note = "Poznámka kolegy"
    colleague.save()

    data["status"] = "3"
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(item), data)

    assert response.status_code == 200
    assert "Poznámka kolegy" in response.content.decode()
    item.refresh_from_db()
    assert item.status == 1


def test_an_altered_edit_base_is_refused(coordinator_client, demo_plan):
    item = StackItem.objects.filter(plan=demo_plan).first()
    other = StackItem.objects.filter(plan=demo_plan).exclude(pk=item.pk).first()
    other_form = form_data(coordinator_client.get(_url(other)).content.decode(), "stackitem_form")
    data = form_data(coordinator_client.get(_url(item)).content.decode(), "stackitem_form")
    data[EDIT_BASE] = other_form[EDIT_BASE]  # another row's start
    data["name"] = "Podvržený název"
    data["_save"] = "Uložit"
    response = coordinator_client.post(_url(item), data)
    assert response.status_code == 200
    assert "je poškozený" in response.content.decode()
    item.refresh_from_db()
    assert item.name != "Podvržený název"


def test_activity_and_project_pages_render_the_start_of_every_row(coordinator_client, demo_plan):
    activity = Activity.objects.filter(plan=demo_plan, fulfilments__isnull=False).first()
    html = coordinator_client.get(_url(activity)).content.decode()
    data = form_data(html, "activity_form")
    rows = [name for name in data if name.endswith("-id") and data[name]]
    bases = [name for name in data if name.endswith(f"-{EDIT_BASE}") and data[name]]
    assert rows
    assert len(bases) == len(rows)
    project = FlagshipProject.objects.filter(plan=demo_plan).first()
    assert EDIT_BASE in form_data(
        coordinator_client.get(_url(project)).content.decode(), "flagshipproject_form"
    )


def test_renumbering_in_the_list_overwrites_no_other_field(coordinator_client, demo_plan):
    """A list's editable order writes only the order: a name changed meanwhile stays."""
    url = reverse("admin:plans_area_changelist") + f"?plan__id__exact={demo_plan.pk}"
    data = form_data(coordinator_client.get(url).content.decode(), "changelist-form")
    area = Area.objects.get(pk=data["form-0-id"])
    colleague = Area.objects.get(pk=area.pk)
    colleague.name = "Oblast přejmenovaná kolegou"
    colleague.save()

    data["form-0-order"] = "77"
    data["_save"] = "Uložit"
    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.order, area.name) == (77, "Oblast přejmenovaná kolegou")


def test_a_list_save_that_loses_a_race_is_refused_in_czech(
    coordinator_client, demo_plan, monkeypatch
):
    """A row saved by someone else between the list's read and its write: the version refuses
    it, the list's save is rolled back, and a Czech message says so (no server error)."""
    url = reverse("admin:plans_area_changelist") + f"?plan__id__exact={demo_plan.pk}"
    data = form_data(coordinator_client.get(url).content.decode(), "changelist-form")
    area = Area.objects.get(pk=data["form-0-id"])
    saved = Area.save

    def colleague_first(self, *args, **kwargs):
        if self.pk == area.pk and not getattr(colleague_first, "done", False):
            colleague_first.done = True
            Area.objects.filter(pk=area.pk).update(version=self.version + 1)
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(Area, "save", colleague_first)
    data["form-0-order"] = "77"
    data["_save"] = "Uložit"
    response = coordinator_client.post(url, data, follow=True)

    assert "Řádek seznamu změnil někdo jiný" in response.content.decode()
    area.refresh_from_db()
    assert area.order != 77


def test_a_stale_plan_form_is_refused(coordinator_client, demo_plan):
    url = reverse("admin:plans_plan_change", args=[demo_plan.pk])
    data = form_data(coordinator_client.get(url).content.decode(), "plan_form")
    assert data[EDIT_BASE]
    colleague = type(demo_plan).objects.get(pk=demo_plan.pk)
    colleague.territory_name = "Liberecký kraj (podle kolegy)"
    colleague.save()

    data["territory_name"] = "Můj kraj"
    data["_save"] = "Uložit"
    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert "„Liberecký kraj (podle kolegy)“" in response.content.decode()
    demo_plan.refresh_from_db()
    assert demo_plan.territory_name == "Liberecký kraj (podle kolegy)"


def test_stale_monitoring_settings_are_refused(coordinator_client, demo_plan):
    from smartplan.monitoring.models import MonitoringSettings

    settings, _created = MonitoringSettings.objects.get_or_create(plan=demo_plan)
    url = reverse("admin:monitoring_monitoringsettings_change", args=[settings.pk])
    data = form_data(coordinator_client.get(url).content.decode(), "monitoringsettings_form")
    colleague = MonitoringSettings.objects.get(pk=settings.pk)
    colleague.remind_days_before = 21
    colleague.save()

    data["remind_days_before"] = "3"
    data["_save"] = "Uložit"
    response = coordinator_client.post(url, data)

    assert response.status_code == 200
    assert "nyní „21“" in response.content.decode()
    assert MonitoringSettings.objects.get(pk=settings.pk).remind_days_before == 21


def test_a_row_changed_after_its_delete_page_was_opened_is_not_deleted(
    coordinator_client, demo_plan
):
    resource = _row(Resource, demo_plan)
    url = reverse("admin:resources_resource_delete", args=[resource.pk])
    page = coordinator_client.get(url).content.decode()
    version = re.search(r'name="edit_version" value="(\d+)"', page).group(1)
    colleague = Resource.objects.get(pk=resource.pk)
    colleague.title = "Metodika doplněná kolegou"
    colleague.save()

    response = coordinator_client.post(url, {"post": "yes", "edit_version": version}, follow=True)

    assert "nebyl proto smazán" in response.content.decode()
    assert "Metodika doplněná kolegou" in response.content.decode()
    assert Resource.objects.filter(pk=resource.pk).exists()

    page = coordinator_client.get(url).content.decode()
    version = re.search(r'name="edit_version" value="(\d+)"', page).group(1)
    coordinator_client.post(url, {"post": "yes", "edit_version": version})
    assert not Resource.objects.filter(pk=resource.pk).exists()
