"""The OpenAPI schema is valid and the committed copy (docs/openapi.yaml) is current."""

from pathlib import Path

from django.core.management import call_command

SNAPSHOT = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"


def test_schema_is_valid_and_committed(tmp_path, db):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert SNAPSHOT.exists(), "run: smartplan spectacular --file docs/openapi.yaml"
    assert generated.read_text(encoding="utf-8") == SNAPSHOT.read_text(encoding="utf-8"), (
        "the API changed: run smartplan spectacular --file docs/openapi.yaml"
    )
