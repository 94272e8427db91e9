"""Who may do what: the whole access policy as one table. Pure: no database, no Django.

The rules
=========

- **Administrator** (a superuser): everything, in every plan.
- **Coordinator** of a plan: everything in that plan (every register, roles and tokens,
  the plan's workbook import and export, approving reports), nothing in another plan
  beyond what the public sees. Creating and deleting whole plans is the administrator's.
- **Guarantor** (or implementer) of flagship projects: their projects and everything under
  them — status reports, activities, yearly fulfilment, documented costs, the indicators
  whose project is one of theirs with their sub-indicators and measured values, observation
  series of their projects and the observations in them. They view and change their
  projects; add, change and delete status reports, activities, fulfilment, costs, values
  and observations; change (not add or delete) indicators, sub-indicators and series.
  The rest of their plan they see as the public sees a published plan (also while the plan
  is not published), and they see the plan's people, whom their projects name as contacts.
- **Data provider**: their assigned sub-indicators — they view them and add and change
  their values (on *Moje indikátory*, in the editing interface, or through a token, whose
  scope is the same), and see the revisions of those values. Nothing else beyond the public.
- **Steering-group member**: views everything of the plan, including unapproved reports
  (drafts), people, value revisions and reminders, and may download the plan's workbook;
  records the group's decisions and meetings (add and change; a meeting is where decisions
  are taken, so recording one is part of recording the other). Roles and tokens stay the
  coordinator's.
- **The public** (anonymous, or logged in without a role in the plan): views a published
  plan's content except drafts (reports not approved and everything made from them),
  roles, tokens, measured values' revisions, people and reminders (who was e-mailed).
- **Feedback** on open datasets (written by the public through the portal's form, with the
  sender's optional e-mail): only the coordinator (view, answer, delete) and the
  administrator see it.

Actions are view, add, change and delete on every register, and three of their own:
``import`` and ``export`` of a plan's workbook (on the plan) and ``approve`` of a report.

A role reaches rows in one of three *reaches*: the whole plan (coordinator, steering), the
rows under the guarantor's projects (``projects``), or the rows under the provider's
sub-indicators (``sub_indicators``). :mod:`smartplan.access.scopes` knows, per register,
the path from a row to its project and its sub-indicator.
"""

from __future__ import annotations

from typing import Final

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
IMPORT, EXPORT, APPROVE = "import", "export", "approve"
CRUD: Final = frozenset({VIEW, ADD, CHANGE, DELETE})

COORDINATOR, GUARANTOR, PROVIDER, STEERING = "coordinator", "guarantor", "provider", "steering"
ROLES: Final = (COORDINATOR, GUARANTOR, PROVIDER, STEERING)

# Where a role reaches within its plan.
PLAN, PROJECTS, SUB_INDICATORS = "plan", "projects", "sub_indicators"
REACH: Final = {
    COORDINATOR: PLAN,
    STEERING: PLAN,
    GUARANTOR: PROJECTS,
    PROVIDER: SUB_INDICATORS,
}

# Each register ("app_label.model_name") is one kind of object.
KINDS: Final[dict[str, str]] = {
    "plans.plan": "plan",
    "plans.approval": "frame",
    "plans.strategicgoal": "frame",
    "plans.specificgoal": "frame",
    "plans.area": "frame",
    "organisations.organisation": "frame",
    "organisations.department": "frame",
    "organisations.person": "person",
    "projects.fundingsource": "frame",
    "projects.flagshipproject": "project",
    "projects.projectstatusreport": "project_part",
    "projects.activity": "project_part",
    "projects.activityfulfilment": "project_part",
    "projects.activitycost": "project_part",
    "indicators.indicator": "indicator",
    "indicators.subindicator": "sub_indicator",
    "indicators.measurement": "measurement",
    "indicators.measurementrevision": "revision",
    "observations.observationseries": "series",
    "observations.observation": "observation",
    "stack.stackitem": "frame",
    "resources.resource": "frame",
    "partnerships.surveyedmunicipality": "frame",
    "partnerships.municipalproject": "frame",
    "partnerships.communicationactivity": "frame",
    "partnerships.award": "frame",
    "partnerships.projectidea": "frame",
    "governance.steeringgroupmember": "frame",
    "governance.meeting": "meeting",
    "governance.decision": "meeting",
    "reports.report": "report",
    "reports.reportfile": "report_file",
    "reports.reportjob": "report_job",
    "monitoring.monitoringsettings": "frame",
    "monitoring.subindicatorstate": "derived",
    "monitoring.rollupstate": "derived",
    "monitoring.reminderlog": "reminder",
    "access.planrole": "access",
    "access.providertoken": "access",
    # Problems the public reports on open datasets: the coordinator's to answer.
    "opendata.feedback": "feedback",
}

# What the public may view in a published plan; "report" and "report_file" only when the
# report is approved (the draft rule, in scopes.py).
PUBLIC_KINDS: Final = frozenset(
    {
        "plan",
        "frame",
        "project",
        "project_part",
        "indicator",
        "sub_indicator",
        "measurement",
        "series",
        "observation",
        "meeting",
        "report",
        "report_file",
        "derived",
    }
)
# Kinds whose rows may be drafts (reports not yet approved, and what is made from them).
DRAFT_KINDS: Final = frozenset({"report", "report_file"})

_ALL_KINDS = frozenset(KINDS.values())
_EVERYTHING = frozenset({*CRUD, IMPORT, EXPORT, APPROVE})

# role → kind → actions, within the role's reach.
POLICY: Final[dict[str, dict[str, frozenset[str]]]] = {
    COORDINATOR: {
        **dict.fromkeys(_ALL_KINDS, CRUD),
        # The plan itself: not created or deleted by its coordinator.
        "plan": frozenset({VIEW, CHANGE, IMPORT, EXPORT}),
        "report": frozenset({*CRUD, APPROVE}),
        # Derived rows are recomputed, never edited.
        "derived": frozenset({VIEW}),
        "reminder": frozenset({VIEW}),
        "revision": frozenset({VIEW}),
        # Feedback comes from the public's form; the coordinator answers (changes) it.
        "feedback": frozenset({VIEW, CHANGE, DELETE}),
    },
    STEERING: {
        **{kind: frozenset({VIEW}) for kind in _ALL_KINDS if kind not in ("access", "feedback")},
        "plan": frozenset({VIEW, EXPORT}),
        "meeting": frozenset({VIEW, ADD, CHANGE}),
    },
    GUARANTOR: {
        "project": frozenset({VIEW, CHANGE}),
        "project_part": CRUD,
        "indicator": frozenset({VIEW, CHANGE}),
        "sub_indicator": frozenset({VIEW, CHANGE}),
        "measurement": CRUD,
        "revision": frozenset({VIEW}),
        "series": frozenset({VIEW, CHANGE}),
        "observation": CRUD,
    },
    PROVIDER: {
        "sub_indicator": frozenset({VIEW}),
        "measurement": frozenset({VIEW, ADD, CHANGE}),
        "revision": frozenset({VIEW}),
    },
}

# Kinds a guarantor sees in their whole plan (not only under their projects).
MEMBER_KINDS: Final = frozenset({"person"})
# Roles that see their plan as the public sees a published one, even while it is not.
MEMBER_VIEW_ROLES: Final = frozenset({COORDINATOR, STEERING, GUARANTOR})

ACTIONS: Final = (VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT, APPROVE)
assert set(KINDS.values()) <= set(_ALL_KINDS)
assert all(actions <= _EVERYTHING for table in POLICY.values() for actions in table.values())


def kind_of(label: str) -> str | None:
    """The kind of a register, by "app_label.model_name"; None for models outside the policy."""
    return KINDS.get(label)


def role_allows(role: str, kind: str, action: str) -> bool:
    """Whether ``role`` may ``action`` rows of ``kind`` within its reach."""
    return action in POLICY.get(role, {}).get(kind, frozenset())


def public_allows(kind: str, action: str) -> bool:
    """Whether anyone may ``action`` rows of ``kind`` of a published plan (drafts aside)."""
    return action == VIEW and kind in PUBLIC_KINDS


def member_allows(role: str, kind: str, action: str) -> bool:
    """Whether ``role`` may ``action`` rows of ``kind`` anywhere in its plan, beyond its reach
    (a guarantor sees the plan as the public does, and its people)."""
    if action != VIEW or role not in MEMBER_VIEW_ROLES:
        return False
    return kind in PUBLIC_KINDS or (role == GUARANTOR and kind in MEMBER_KINDS)
