"""Optional two-factor login (TOTP): enrol in the editing interface, then every login asks
for a code; an administrator removes a lost device."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-editorky-1"
ENROL = "/admin/dvoufazove-prihlaseni/"


def _code(device, offset=0):
    """The device's code as the authenticator app shows it now (``offset`` steps away)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:0{device.digits}d}"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editorka", "e@example.invalid", PASSWORD)


@pytest.fixture
def enrolled(editor):
    device = TOTPDevice.objects.create(user=editor, name="telefon", confirmed=True)
    return editor, device


def _admin_login(client, **extra):
    data = {"username": "editorka", "password": PASSWORD, "next": "/admin/", **extra}
    return client.post("/admin/login/", data)


def test_enrolment_shows_a_qr_code_and_a_code_confirms_it(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(editor)
    page = client.get(ENROL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dvoufázové přihlášení" in text
    assert 'src="data:image/svg+xml;base64,' in text
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert client.get(ENROL).context["secret"] == page.context["secret"]  # same secret on reload

    wrong = client.post(ENROL, {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "Kód nesouhlasí" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post(ENROL, {"token": _code(device)}, follow=True)
    assert "Dvoufázové přihlášení je zapnuto" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    # The session that confirmed the code stays in the editing interface.
    assert client.get("/admin/").status_code == 200


def test_the_editing_interface_links_to_the_enrolment(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert f'<a href="{ENROL}">Dvoufázové přihlášení</a>' in page


def test_an_enrolled_account_without_a_code_cannot_reach_the_editing_interface(enrolled):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    response = _admin_login(client)
    assert response.status_code == 200
    assert "zadejte také kód z aplikace" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    site = Client(HTTP_ACCEPT_LANGUAGE="cs")
    refused = site.post("/prihlaseni/", {"username": "editorka", "password": PASSWORD})
    assert "_auth_user_id" not in site.session
    assert "zadejte také kód z aplikace" in refused.content.decode()


def test_a_wrong_code_is_refused(enrolled):
    _, device = enrolled
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    wrong = "123456" if _code(device) != "123456" else "654321"
    response = _admin_login(client, otp_token=wrong)
    assert "Kód z aplikace není platný" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_enrolled_account_with_a_valid_code_reaches_the_editing_interface(enrolled):
    _, device = enrolled
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    response = _admin_login(client, otp_token=_code(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get(ENROL).context["enrolled"]


def test_a_session_that_skipped_the_code_is_sent_back_to_the_login(enrolled):
    """A session without a code (made before the device, or another way in) cannot open
    the editing interface while the account has a device."""
    editor, _ = enrolled
    client = Client()
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_account_without_a_device_logs_in_as_before(editor):
    client = Client()
    assert _admin_login(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    site = Client()
    login = site.post("/prihlaseni/", {"username": "editorka", "password": PASSWORD})
    assert login.status_code == 302


def test_an_administrator_removes_a_lost_device(enrolled, coordinator_client):
    editor, device = enrolled
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert coordinator_client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client = Client()
    assert _admin_login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_codes_follow_the_clock(enrolled):
    """The test's code helper agrees with the device (guards the tests above)."""
    _, device = enrolled
    assert device.verify_token(_code(device))
    assert not device.verify_token(_code(device, offset=-3))
