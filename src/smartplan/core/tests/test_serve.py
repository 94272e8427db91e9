"""``smartplan serve`` runs gunicorn and serves the admin with its static files."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SMARTPLAN = str(Path(sys.executable).with_name("smartplan"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.fixture
def server(demo_instance):
    data_dir, _ = demo_instance  # migrated, with the demo plan and account
    port = _free_port()
    env = {**os.environ, "SMARTPLAN_DATA_DIR": str(data_dir), "SMARTPLAN_DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [SMARTPLAN, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(f"{base}/admin/login/")
            break
        except OSError:
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_serve_answers_with_the_czech_login_page_and_static_files(server):
    status, body = _get(f"{server}/admin/login/")
    assert status == 200
    assert "<title>Přihlásit se | smartplan</title>" in body.decode()
    status, css = _get(f"{server}/static/admin/css/base.css")
    assert status == 200
    assert b"body" in css
