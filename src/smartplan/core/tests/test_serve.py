"""``smartplan serve`` runs gunicorn and serves the admin with its static files."""

import urllib.request

import pytest


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.fixture
def server(console_runs):
    """``smartplan serve`` on the demo data of the console runs, started in the background
    when they finish (see ``ConsoleRuns``); stopped at the end of the session."""
    return console_runs.server_url()


def test_serve_answers_with_the_czech_login_page_and_static_files(server):
    status, body = _get(f"{server}/admin/login/")
    assert status == 200
    assert "<title>Přihlásit se | smartplan</title>" in body.decode()
    status, css = _get(f"{server}/static/admin/css/base.css")
    assert status == 200
    assert b"body" in css
