"""Login lockout (django-axes): guessing passwords stops after a few tries."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db

PASSWORD = "spravne-heslo-k1"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editorka", "e@example.invalid", PASSWORD, is_staff=True
    )


def _login(client, url, password, username="editorka"):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url", ["/prihlaseni/", "/admin/login/"])
def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(editor, url):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    for attempt in range(50):
        _login(client, url, f"spatne-{attempt}")
        assert "_auth_user_id" not in client.session
    locked = _login(client, url, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "Přihlášení zablokováno" in page
    assert "Příliš mnoho neúspěšných přihlášení" in page
    assert "15 minut" in page


def test_the_lockout_starts_after_the_configured_number_of_failures(editor):
    client = Client()
    for attempt in range(4):
        assert _login(client, "/prihlaseni/", f"spatne-{attempt}").status_code == 200
    assert _login(client, "/prihlaseni/", "spatne-5").status_code == 429
    assert _login(client, "/prihlaseni/", PASSWORD).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_is_a_setting(editor):
    client = Client()
    assert _login(client, "/prihlaseni/", "spatne-1").status_code == 200
    assert _login(client, "/prihlaseni/", "spatne-2").status_code == 429


def test_an_administrator_unlocks_the_account_from_the_command_line(editor):
    client = Client()
    for attempt in range(6):
        _login(client, "/prihlaseni/", f"spatne-{attempt}")
    assert _login(client, "/prihlaseni/", PASSWORD).status_code == 429
    call_command("axes_reset_username", "editorka", verbosity=0)
    call_command("axes_reset_ip", "127.0.0.1", verbosity=0)
    response = _login(client, "/prihlaseni/", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_lockout_of_one_account_does_not_lock_out_another_from_elsewhere(
    editor, django_user_model
):
    django_user_model.objects.create_user("kolega", "c@example.invalid", PASSWORD)
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(6):
        _login(attacker, "/prihlaseni/", f"spatne-{attempt}")
    colleague = Client(REMOTE_ADDR="198.51.100.2")
    assert _login(colleague, "/prihlaseni/", PASSWORD, username="kolega").status_code == 302


def test_a_successful_login_forgets_earlier_failures(editor):
    client = Client()
    for attempt in range(3):
        _login(client, "/prihlaseni/", f"spatne-{attempt}")
    assert _login(client, "/prihlaseni/", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(3):
        assert _login(client, "/prihlaseni/", f"znovu-{attempt}").status_code == 200


def test_an_address_that_guesses_many_accounts_is_locked_out(editor, django_user_model):
    for name in ("a", "b", "c", "d", "e"):
        django_user_model.objects.create_user(f"ucet-{name}", password=PASSWORD)
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("a", "b", "c", "d", "e"):
        _login(sprayer, "/prihlaseni/", "heslo123456789", username=f"ucet-{name}")
    assert _login(sprayer, "/prihlaseni/", PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.2"), "/prihlaseni/", PASSWORD).status_code == 302


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_each_client_is_counted_by_its_own_address(editor, django_user_model):
    """With SMARTPLAN_PROXY_SSL_HEADER set (these settings), one client's failures through
    the proxy do not lock out the others who come through the same proxy."""
    django_user_model.objects.create_user("kolega", password=PASSWORD)
    # The attacker forges an entry; the proxy appends the address it saw.
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.7")
    for attempt in range(6):
        _login(attacker, "/prihlaseni/", f"spatne-{attempt}", username="kolega-x")
    assert _login(attacker, "/prihlaseni/", PASSWORD, username="kolega").status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert _login(colleague, "/prihlaseni/", PASSWORD, username="kolega").status_code == 302
