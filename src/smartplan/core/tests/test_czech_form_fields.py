"""Dates and numbers typed the Czech way are accepted whatever the interface language.

The attack: with the browser set to English, the value form refused ``31. 12. 2022`` and
Django's English number reading turned ``1,5`` into 15."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from smartplan.access.policy import PROVIDER
from smartplan.access.services import plan_role_grant
from smartplan.core.czech_form_fields import CzechDecimalField
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring.forms import MeasurementForm
from smartplan.organisations.models import Person


@pytest.mark.parametrize("language", ["en", "cs"])
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1,5", Decimal("1.5")),
        ("1 234,5", Decimal("1234.5")),
        ("1\xa0234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("-0,25", Decimal("-0.25")),
    ],
)
def test_numbers_are_read_the_czech_way_in_every_language(language, typed, value):
    field = CzechDecimalField(max_digits=20, decimal_places=4, localize=True)
    with translation.override(language):
        assert field.clean(typed) == value


def test_an_unreadable_number_is_refused_and_an_empty_one_is_none():
    field = CzechDecimalField(max_digits=20, decimal_places=4, localize=True, required=False)
    with translation.override("en"):
        with pytest.raises(forms.ValidationError):
            field.clean("1,2,3x")
        assert field.clean("  ") is None


def test_a_shown_number_reads_back_as_the_same_number():
    field = CzechDecimalField(max_digits=20, decimal_places=4, localize=True)
    for language in ("en", "cs"):
        with translation.override(language):
            for value in (Decimal("1234.5000"), Decimal(1234), Decimal("0.25")):
                shown = field.widget.format_value(value)
                assert field.clean(shown) == value, (language, shown)
    with translation.override("en"):
        assert field.widget.format_value(Decimal(1234)) == "1234"


@pytest.mark.django_db
def test_the_value_form_accepts_a_czech_date_and_decimal_comma_in_english(demo_plan):
    sub = SubIndicator.objects.filter(plan=demo_plan, kind=SubIndicator.Kind.NUMBER).first()
    with translation.override("en"):
        form = MeasurementForm(
            {"date": "31. 12. 2022", "period_start": "1.1.2022", "value": "1,5"},
            sub_indicator=sub,
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == dt.date(2022, 12, 31)
    assert form.cleaned_data["period_start"] == dt.date(2022, 1, 1)
    assert form.cleaned_data["value"] == Decimal("1.5")


@pytest.mark.django_db
def test_moje_indikatory_with_the_browser_in_english(demo_plan, django_user_model):
    user = django_user_model.objects.create_user("tvrznik", password="heslo-tvrznika-1")
    Person.objects.filter(plan=demo_plan, name="Pavel Tvrzník").update(user=user)
    datasets = SubIndicator.objects.get(plan=demo_plan, code="8.1")
    # Entering values is a data provider's (roles are the only door, access/policy.py).
    plan_role_grant(plan=demo_plan, user=user, role=PROVIDER, sub_indicators=[datasets])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    # The locale middleware leaves English active in this thread; the block restores it.
    with translation.override("en"):
        response = client.post(
            reverse("monitoring:measurement-add", args=[datasets.pk]),
            {"date": "31. 12. 2022", "value": "5,5", "note": ""},
        )
        assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert response.status_code == 302, response.content.decode()
    measurement = Measurement.objects.get(sub_indicator=datasets)
    assert (measurement.date, measurement.value) == (dt.date(2022, 12, 31), Decimal("5.5"))


@pytest.mark.django_db
def test_the_editing_interface_reads_czech_dates_and_numbers_in_english(
    rf, demo_plan, django_user_model
):
    sub = SubIndicator.objects.filter(plan=demo_plan).first()
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("spravce", "s@example.invalid")
    form_class = admin.site._registry[SubIndicator].get_form(request, sub)
    with translation.override("en"):
        date = form_class.base_fields["target_date"]
        number = form_class.base_fields["target_value"]
        assert date.clean("31. 12. 2022") == dt.date(2022, 12, 31)
        assert date.clean("2022-12-31") == dt.date(2022, 12, 31)
        # What the date widget shows (5. 2. 2020, in every language) is read back.
        shown = date.widget.format_value(dt.date(2020, 2, 5))
        assert date.clean(shown) == dt.date(2020, 2, 5)
        assert number.clean("1,5") == Decimal("1.5")
