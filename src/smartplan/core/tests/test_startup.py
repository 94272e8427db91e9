"""Start-up stays light and writes nothing: heavy libraries load on first use (issue 9)."""

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "weasyprint", "docx", "openpyxl")
SMARTPLAN = str(Path(sys.executable).with_name("smartplan"))

# Start Django, build the whole URL map (every admin's pages) and report what was imported.
STARTUP = f"""
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


SECRET_KEY = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SMARTPLAN_DATA_DIR": str(data_dir), "SMARTPLAN_DATABASE_URL": ""}
    env.pop("SMARTPLAN_SECRET_KEY", None)
    env["DJANGO_SETTINGS_MODULE"] = "smartplan.settings"
    return {**env, **extra}


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_setup_and_url_map_import_no_renderer_or_spreadsheet_library(tmp_path):
    assert _python(STARTUP, _env(tmp_path / "data")) == ""


def test_rendering_a_register_loads_its_library_then(tmp_path):
    code = (
        "import sys, django; django.setup()\n"
        "from smartplan.core.output_formats import output_format\n"
        "found = output_format(family='register', name='xlsx')\n"
        "print('openpyxl' in sys.modules, found.load().__module__, 'openpyxl' in sys.modules)"
    )
    assert _python(code, _env(tmp_path / "data")) == (
        "False smartplan.exchange.register_export True"
    )


def test_settings_and_cli_create_nothing_in_a_missing_data_dir(tmp_path):
    data_dir = tmp_path / "data"
    env = _env(data_dir)
    _python("import django; django.setup(); from django.conf import settings; settings.DEBUG", env)
    for command in (["check"], ["help"]):
        done = subprocess.run(
            [SMARTPLAN, *command], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert not data_dir.exists()


def test_the_secret_key_is_made_once_when_first_used(tmp_path):
    data_dir = tmp_path / "data"
    code = SECRET_KEY
    first = _python(code, _env(data_dir))
    assert len(first) >= 50
    assert (data_dir / "secret_key").read_text(encoding="utf-8") == first
    assert (data_dir / "secret_key").stat().st_mode & 0o777 == 0o600
    assert _python(code, _env(data_dir)) == first
    assert [p.name for p in data_dir.iterdir()] == ["secret_key"]  # no draft left behind


def test_the_environment_gives_the_secret_key(tmp_path):
    data_dir = tmp_path / "data"
    code = SECRET_KEY
    assert _python(code, _env(data_dir, SMARTPLAN_SECRET_KEY="from-the-environment")) == (
        "from-the-environment"
    )
    assert not data_dir.exists()


def test_migrate_creates_the_data_dir(tmp_path):
    data_dir = tmp_path / "new" / "data"
    done = subprocess.run(
        [SMARTPLAN, "migrate", "-v0"],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert {p.name for p in data_dir.iterdir()} >= {"smartplan.sqlite3", "static", "secret_key"}
