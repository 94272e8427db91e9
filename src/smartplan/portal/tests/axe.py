"""axe-core in Debian's Chromium: a public page must have 0 violations of the WCAG 2.0 and 2.1
A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa), at a desktop and a phone width.

Use it in a browser test (marker ``browser``) with the ``browser`` fixture of
src/smartplan/conftest.py and pytest-django's ``live_server``::

    import pytest
    from smartplan.portal.tests.axe import axe_check

    pytestmark = pytest.mark.browser

    def test_the_project_list_is_accessible(browser, live_server, transactional_db):
        axe_check(browser, f"{live_server.url}/liberec-2020/projekty/")

``axe_check`` opens the address in a new page at each width (1366 and 360 px by default)
with the page's real Content-Security-Policy, checks the answer's status (200 unless told),
runs axe and fails with one line per violation: rule id, impact, help text and the CSS
selectors of the offending elements. It returns the last page, e.g. for a screenshot::

    page = axe_check(browser, url, widths=(360,))
    page.screenshot(path="/tmp/list-360.png", full_page=True)

For a page reached by interaction (a form showing errors, a filtered list), drive the page
yourself and call ``axe_assert_clean(page)`` on it. ``live_server`` is transactional: the
demo plan is there (the template database), but changes of a test are not rolled back, they
are flushed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
DESKTOP = 1366
PHONE = 360
WIDTHS = (DESKTOP, PHONE)

_axe = Axe()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The violations axe finds on the page as it is now, WCAG 2.0/2.1 A and AA rules only."""
    options = {
        "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
        "resultTypes": ["violations"],
    }
    return list(_axe.run(page, options=options).response["violations"])


def axe_report(violations: Iterable[dict[str, Any]]) -> str:
    """One line per violation and one indented line per offending element."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation.get('impact') or 'no impact'}): {violation['help']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}  {summary}")
    return "\n".join(lines)


def axe_assert_clean(page: Any, *, label: str = "") -> None:
    """Fail unless axe finds 0 violations on ``page``; ``label`` says which page and width."""
    violations = axe_violations(page)
    where = label or page.url
    assert not violations, f"axe found {len(violations)} violation(s) on {where}:\n" + axe_report(
        violations
    )


def axe_check(
    browser: Any,
    url: str,
    *,
    widths: Iterable[int] = WIDTHS,
    status: int = 200,
    locale: str = "cs-CZ",
) -> Any:
    """Open ``url`` at each width, check the HTTP status and that axe finds nothing."""
    page = None
    for width in widths:
        page = browser.new_page(viewport={"width": width, "height": 900}, locale=locale)
        response = page.goto(url)
        assert response is not None, f"{url} answered nothing"
        assert response.status == status, f"{url} answered {response.status}, not {status}"
        axe_assert_clean(page, label=f"{url} at {width} px")
    return page
