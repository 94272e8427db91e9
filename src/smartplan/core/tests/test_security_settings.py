"""Production security derived from SMARTPLAN_BASE_URL and SMARTPLAN_DEBUG.

``smartplan check --deploy`` is clean on an https instance, and the settings a production
instance needs follow from the base URL's scheme (an http demo keeps working)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from smartplan.conftest import SMARTPLAN

HTTPS = {"SMARTPLAN_BASE_URL": "https://plan.example.cz", "SMARTPLAN_DEBUG": "0"}


def _env(tmp_path, **extra):
    """The test process's environment without its SMARTPLAN_* settings, plus ``extra``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SMARTPLAN_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by the browser tests' session (Playwright's event loop); never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(SMARTPLAN_DATA_DIR=str(tmp_path), SMARTPLAN_DATABASE_URL="", **extra)
    return env


def _settings(tmp_path, **extra):
    """Settings as a fresh process reads them from the environment."""
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    ]
    code = (
        "import json, smartplan.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}} | "
        "{'PROXY': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))"
    )
    env = _env(tmp_path, **extra)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_check_deploy_reports_nothing_on_an_https_instance(tmp_path):
    done = subprocess.run(
        [SMARTPLAN, "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path, **HTTPS),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stderr + done.stdout


def test_an_https_instance_gets_secure_cookies_hsts_and_the_https_redirect(tmp_path):
    values = _settings(tmp_path, **HTTPS)
    for name in ("SESSION", "CSRF"):
        assert values[f"{name}_COOKIE_SECURE"], name
        assert values[f"{name}_COOKIE_HTTPONLY"], name
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["PROXY"] is None


def test_the_http_demo_and_debugging_get_no_https_only_settings(tmp_path):
    demo = _settings(tmp_path)
    assert not demo["SESSION_COOKIE_SECURE"]
    assert demo["SECURE_HSTS_SECONDS"] == 0
    assert not demo["SECURE_SSL_REDIRECT"]
    debugging = _settings(tmp_path, **{**HTTPS, "SMARTPLAN_DEBUG": "1"})
    assert debugging["SECURE_HSTS_SECONDS"] == 0  # HSTS sticks in browsers: not while debugging
    assert not debugging["SECURE_SSL_REDIRECT"]


def test_behind_a_proxy_the_named_header_says_https(tmp_path):
    values = _settings(tmp_path, **HTTPS, SMARTPLAN_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert values["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert _settings(tmp_path, **HTTPS, SMARTPLAN_HSTS_SECONDS="0")["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.django_db
def test_every_page_has_the_security_headers(client):
    response = client.get("/prihlaseni/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    # Directives come in no fixed order: compare them one by one.
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


TEMPLATES = sorted(Path(__file__).resolve().parents[2].rglob("templates/**/*.html"))
INLINE = re.compile(
    r"<style|\sstyle=|<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(?:ld\+)?json\")"
    r"|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=lambda p: p.relative_to(p.parents[2]).as_posix()
)
def test_no_template_needs_inline_script_or_style(template):
    """The Content Security Policy refuses inline scripts, styles and event handlers."""
    assert not INLINE.findall(template.read_text(encoding="utf-8"))


def test_the_swagger_page_keeps_its_styles_in_a_file():
    page = render_to_string(
        "drf_spectacular/swagger_ui.html",
        {"swagger_ui_css": "/static/x.css", "script_url": "/api/docs/?script="},
    )
    assert "<style" not in page
    assert "/static/smartplan/swagger.css" in page
    assert '<script src="/api/docs/?script="></script>' in page
