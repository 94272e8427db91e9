"""``smartplan serve`` runs gunicorn and serves the admin with its static files."""

import http.client
import os
import socket
import subprocess
import time
import urllib.request

import pytest

from smartplan.conftest import SMARTPLAN


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


def test_serve_on_an_https_instance_sends_hsts_csp_and_secure_cookies(tmp_path):
    """``smartplan serve`` behind a TLS proxy on the same machine (gunicorn trusts its
    X-Forwarded-Proto): HSTS, CSP, Secure HttpOnly cookies; plain http is redirected."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "SMARTPLAN_DATA_DIR": str(tmp_path), "SMARTPLAN_DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(SMARTPLAN_BASE_URL="https://127.0.0.1", SMARTPLAN_DEBUG="0")
    server = subprocess.Popen(
        [SMARTPLAN, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/prihlaseni/", headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                plain = get({})
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://127.0.0.1:{port}/prihlaseni/"
        secure = get({"X-Forwarded-Proto": "https"})
        assert secure.status == 200
        assert secure.getheader("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert "default-src 'self'" in secure.getheader("Content-Security-Policy")
        cookie = secure.getheader("Set-Cookie")
        assert cookie.startswith("csrftoken=")
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
    finally:
        server.terminate()
        server.wait(timeout=30)
