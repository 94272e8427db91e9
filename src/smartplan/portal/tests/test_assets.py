"""The build step's output (scripts/assets: Gov Design System from npm into frontend/dist)
is found by Django's staticfiles, with the fonts its stylesheet names."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR).parents[1]


@pytest.fixture
def built():
    if not (settings.ASSETS_DIR / "gov" / "gov.css").exists():
        if os.environ.get("CI"):
            pytest.fail("frontend/dist is missing: scripts/test runs scripts/assets first")
        pytest.skip("run `bash scripts/assets` first")
    return settings.ASSETS_DIR / "gov"


def test_findstatic_finds_the_design_system(built, capsys):
    call_command("findstatic", "gov/gov.css", "portal/portal.css", "portal/print.css")
    out = capsys.readouterr().out
    assert str(built / "gov.css") in out
    assert "portal/static/portal/portal.css" in out


def test_every_font_the_stylesheet_names_is_there(built):
    css = (built / "gov.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\('(roboto-[a-z-]+\.woff2)'\)", css))
    assert {"roboto-regular.woff2", "roboto-medium.woff2", "roboto-bold.woff2"} <= fonts
    for font in fonts:
        assert finders.find(f"gov/{font}"), font
    # The design system's tokens, base styles and components are in the bundle.
    assert "--color-primary-600" in css
    assert ".gov-breadcrumbs" in css
    assert ".gov-button" in css


def test_the_bundle_is_built_from_the_locked_packages():
    lock = (ROOT / "frontend" / "package-lock.json").read_text(encoding="utf-8")
    assert '"node_modules/@gov-design-system-ce/styles"' in lock
    assert '"node_modules/@gov-design-system-ce/fonts"' in lock
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "/frontend/dist/" in ignored
    assert "/frontend/node_modules/" in ignored


def test_a_missing_build_is_reported_by_the_system_check(tmp_path, settings):
    from smartplan.portal.checks import assets_built

    settings.ASSETS_DIR = tmp_path
    (warning,) = assets_built()
    assert warning.id == "portal.W001"
    assert "scripts/assets" in warning.hint
