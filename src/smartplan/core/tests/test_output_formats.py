"""Output formats are registered by dotted path and imported only when rendered."""

import pytest

from smartplan.core import output_formats
from smartplan.core.output_formats import output_format, output_format_register
from smartplan.core.output_formats import output_formats as formats


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(output_formats, "_FORMATS", {})


def test_registering_imports_nothing_rendering_does(registry):
    output_format_register(
        family="sample", name="bad", content_type="text/plain", renderer="smartplan.nowhere.render"
    )
    found = output_format(family="sample", name="bad")
    assert found is not None
    with pytest.raises(ImportError):
        found.render()


def test_text_is_sent_as_utf8_and_order_is_kept(registry):
    output_format_register(
        family="sample", name="escape", content_type="text/html", renderer="html.escape"
    )
    output_format_register(
        family="sample", name="join", content_type="text/plain", renderer="os.path.join"
    )
    output_format_register(
        family="other", name="x", content_type="text/plain", renderer="html.escape"
    )
    assert output_format(family="sample", name="escape").render("čáp<") == "čáp&lt;".encode()
    assert [f.name for f in formats(family="sample")] == ["escape", "join"]
    assert output_format(family="sample", name="missing") is None


def test_the_apps_register_report_and_register_formats():
    assert [f.name for f in formats(family="report")] == ["pdf", "docx", "html"]
    assert [f.name for f in formats(family="register")] == ["xlsx", "ods", "csv"]
