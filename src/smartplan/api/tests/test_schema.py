"""The OpenAPI schema is valid and the committed copy (docs/openapi.yaml) is current; the
documentation page serves it with local files only (no CDN, no inline script)."""

import difflib
import re
from pathlib import Path

from django.core.management import call_command

SNAPSHOT = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"
REGENERATE = "smartplan spectacular --validate --fail-on-warn --file docs/openapi.yaml"


def test_schema_is_valid_and_committed(tmp_path, db):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert SNAPSHOT.exists(), f"run: {REGENERATE}"
    new = generated.read_text(encoding="utf-8")
    old = SNAPSHOT.read_text(encoding="utf-8")
    if new != old:
        diff = "".join(
            list(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    "docs/openapi.yaml",
                    "generated",
                )
            )[:60]
        )
        raise AssertionError(f"the API changed; if that is intended run: {REGENERATE}\n{diff}")


def test_schema_is_served_and_the_old_address_redirects(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/plans/{plan}/stack-items/" in response.json()["paths"]
    old = client.get("/api/schema/")
    assert old.status_code == 301
    assert old["Location"] == "/api/v1/schema/"


def test_documentation_page_uses_local_files_without_inline_script(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'spec-url="/api/v1/schema/"' in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts, page
    for attributes, body in scripts:
        assert body.strip() == ""  # no inline script
        assert "/static/drf_spectacular_sidecar/redoc/" in attributes
    assert "https://" not in page  # no CDN, no web fonts
