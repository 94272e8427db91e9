"""Password policy: long, not common, not only digits, not like the account's name."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from smartplan.demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_account_ensure

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_give_a_weak_password(coordinator_client, django_user_model):
    response = coordinator_client.post(
        "/admin/auth/user/add/",
        {"username": "novacek", "password1": "heslo123", "password2": "heslo123"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Heslo je příliš krátké. Musí mít délku aspoň 12 znaků." in page
    assert not django_user_model.objects.filter(username="novacek").exists()


@pytest.mark.parametrize(
    ("password", "czech"),
    [
        ("kratke-hes", "příliš krátké"),
        ("123456789012345", "pouze z čísel"),
        ("password1234", "příliš běžné"),
    ],
)
def test_weak_passwords_are_refused_with_a_czech_reason(password, czech):
    with translation.override("cs"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(czech in message for message in refused.value.messages), refused.value.messages


def test_a_password_like_the_account_name_is_refused(django_user_model):
    user = django_user_model(username="jana.novakova", email="jana.novakova@example.invalid")
    with translation.override("cs"), pytest.raises(ValidationError) as refused:
        validate_password("jana.novakova1", user)
    assert any("podobné" in message for message in refused.value.messages)


def test_a_strong_password_passes():
    validate_password("modry-kopec-nad-jizerou")


def test_the_demo_account_still_logs_in():
    demo_account_ensure()
    client = Client()
    response = client.post("/prihlaseni/", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
