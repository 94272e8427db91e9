"""Approving a report: the check step of ``services.report_approve`` (its execute step).

Rules: only a draft (not yet approved and frozen) report can be approved, and the approval
names who approved it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from smartplan.core.problems import Problem
from smartplan.reports.models import Report


def report_approve_check(*, report: Report, approved_by: str) -> list[Problem]:
    """Every problem with approving ``report`` as it is stored now; reads, never writes."""
    problems = []
    if not approved_by.strip():
        problems.append(
            Problem(None, None, None, _("Say who approved the report."), field="approved_by")
        )
    if report.frozen:
        problems.append(Problem(None, None, None, _("The report is already approved and frozen.")))
    return problems
