"""The portal's language comes from its address; the API and the editing interface follow
the browser's Accept-Language."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_portal_language_is_in_the_address_elsewhere_the_browsers() -> None:
    english_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert english_browser.get("/").headers["Content-Language"] == "cs"
    assert english_browser.get("/en/").headers["Content-Language"] == "en"
    assert Client().get("/en/").headers["Content-Language"] == "en"
    login = english_browser.get("/prihlaseni/")
    assert login.headers["Content-Language"] == "en"
    assert Client(HTTP_ACCEPT_LANGUAGE="cs").get("/prihlaseni/").headers["Content-Language"] == "cs"
