"""The accessibility statement ("Prohlášení o přístupnosti") the Act 99/2019 Sb. asks of a
public-sector web site, in the structure of the Ministry of the Interior's template: who
states it and for which site, the state of compliance, the inaccessible content with the
reasons, when and how it was prepared, the contact for feedback and the enforcement
procedure. The facts that differ between instances come from settings (SMARTPLAN_OPERATOR_*,
SMARTPLAN_ACCESSIBILITY_*), the operator's name otherwise from the published plans' owners.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from smartplan.portal.shell import published_plans


@dataclass(frozen=True)
class AccessibilityStatement:
    operator: str  # empty when neither the settings nor a published plan name one
    email: str
    phone: str
    site: str
    prepared: dt.date
    reviewed: dt.date


def accessibility_statement() -> AccessibilityStatement:
    operator = settings.OPERATOR_NAME
    if not operator:
        owners = dict.fromkeys(plan.owner.name for plan in published_plans() if plan.owner)
        operator = ", ".join(owners)
    return AccessibilityStatement(
        operator=operator,
        email=settings.OPERATOR_EMAIL,
        phone=settings.OPERATOR_PHONE,
        site=settings.BASE_URL + "/",
        prepared=settings.ACCESSIBILITY_STATEMENT_DATE,
        reviewed=settings.ACCESSIBILITY_REVIEW_DATE,
    )
