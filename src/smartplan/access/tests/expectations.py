"""What each role may do, written out by hand: the expectations of the permission matrix.

Not computed from ``access/policy.py``: this is the second, independent statement of the
rules that the matrix test holds the code to (in the editing interface here, in the API in
the API's tests). Read a cell as "actor may <letters> <target>":

    v view · a add · c change · d delete · i import (a plan) · e export (a plan) ·
    p approve (a report)

Targets are registers of plan 1 (the published demo plan), as "app.model", with a variant
where the register hangs under a flagship project: ``@A`` is a row under project A (whose
sub-indicator S1 the provider is assigned), ``@B`` a row under project B (sub-indicator S2,
not assigned). Reports come as ``@draft`` (not approved) and ``@approved``; the report file
is of the approved report, the report job of the draft. A missing cell is "nothing".

Actors: ``admin`` (superuser), ``coordinator`` (of plan 1), ``other_coordinator`` (of plan 2,
acting on plan 1), ``guarantor`` (of project A), ``provider`` (of sub-indicator S1),
``steering`` (member of plan 1's steering group), ``staff`` (a staff account without any
role), ``public`` (anonymous).
"""

from __future__ import annotations

# Registers a plan's content is made of, without the project-scoped ones.
FRAME = (
    "plans.approval",
    "plans.strategicgoal",
    "plans.specificgoal",
    "plans.area",
    "organisations.organisation",
    "organisations.department",
    "projects.fundingsource",
    "stack.stackitem",
    "resources.resource",
    "partnerships.surveyedmunicipality",
    "partnerships.municipalproject",
    "partnerships.communicationactivity",
    "partnerships.award",
    "partnerships.projectidea",
    "governance.steeringgroupmember",
    "monitoring.monitoringsettings",
)
DERIVED = ("monitoring.subindicatorstate", "monitoring.rollupstate")
MEETINGS = ("governance.meeting", "governance.decision")
PRIVATE = (
    "organisations.person",
    "monitoring.reminderlog",
    "access.planrole",
    "access.providertoken",
    "opendata.feedback",
)
# Registers under a flagship project (each as @A and @B).
UNDER_PROJECT = (
    "projects.flagshipproject",
    "projects.projectstatusreport",
    "projects.activity",
    "projects.activityfulfilment",
    "projects.activitycost",
    "indicators.indicator",
    "indicators.subindicator",
    "indicators.measurement",
    "indicators.measurementrevision",
    "observations.observationseries",
    "observations.observation",
)
REPORTS = (
    "reports.report@draft",
    "reports.report@approved",
    "reports.reportfile",
    "reports.reportjob",
)
PLAN = "plans.plan"

TARGETS: tuple[str, ...] = (
    PLAN,
    *FRAME,
    *DERIVED,
    *MEETINGS,
    *PRIVATE,
    *(f"{label}@{side}" for label in UNDER_PROJECT for side in ("A", "B")),
    *REPORTS,
)
ACTORS = (
    "admin",
    "coordinator",
    "other_coordinator",
    "guarantor",
    "provider",
    "steering",
    "staff",
    "public",
)
LETTERS = {
    "v": "view",
    "a": "add",
    "c": "change",
    "d": "delete",
    "i": "import",
    "e": "export",
    "p": "approve",
}


def _all(letters: str, labels: tuple[str, ...] | list[str]) -> dict[str, str]:
    return dict.fromkeys(labels, letters)


def _both(letters: str, *labels: str) -> dict[str, str]:
    return {f"{label}@{side}": letters for label in labels for side in ("A", "B")}


# What anyone may read of a published plan: its content, approved reports; no drafts,
# people, reminders, roles, tokens or revisions of values.
PUBLIC: dict[str, str] = {
    PLAN: "v",
    **_all("v", FRAME),
    **_all("v", DERIVED),
    **_all("v", MEETINGS),
    **_both("v", *[label for label in UNDER_PROJECT if label != "indicators.measurementrevision"]),
    "reports.report@approved": "v",
    "reports.reportfile": "v",
}

EXPECTED: dict[str, dict[str, str]] = {
    "admin": {
        **dict.fromkeys(TARGETS, "vacd"),
        PLAN: "vacdie",
        "reports.report@draft": "vacdp",
        "reports.report@approved": "vacdp",
    },
    "coordinator": {
        **dict.fromkeys(TARGETS, "vacd"),
        PLAN: "vcie",
        **_all("v", DERIVED),
        "monitoring.reminderlog": "v",
        **_both("v", "indicators.measurementrevision"),
        "reports.report@draft": "vacdp",
        "reports.report@approved": "vacdp",
        # Written by the public's form; the coordinator answers and may delete.
        "opendata.feedback": "vcd",
    },
    # Plan 2's coordinator reads plan 1 as the public does, and changes nothing there.
    "other_coordinator": PUBLIC,
    "guarantor": {
        **PUBLIC,
        "organisations.person": "v",
        "projects.flagshipproject@A": "vc",
        "projects.projectstatusreport@A": "vacd",
        "projects.activity@A": "vacd",
        "projects.activityfulfilment@A": "vacd",
        "projects.activitycost@A": "vacd",
        "indicators.indicator@A": "vc",
        "indicators.subindicator@A": "vc",
        "indicators.measurement@A": "vacd",
        "indicators.measurementrevision@A": "v",
        "observations.observationseries@A": "vc",
        "observations.observation@A": "vacd",
    },
    "provider": {
        **PUBLIC,
        "indicators.subindicator@A": "v",
        "indicators.measurement@A": "vac",
        "indicators.measurementrevision@A": "v",
    },
    "steering": {
        **dict.fromkeys(TARGETS, "v"),
        PLAN: "ve",
        "governance.meeting": "vac",
        "governance.decision": "vac",
        "access.planrole": "",
        "access.providertoken": "",
        "opendata.feedback": "",
    },
    "staff": PUBLIC,
    "public": PUBLIC,
}

# Registers an actor may add to in SOME plan (the editing interface's add button); plan 2's
# coordinator may add everywhere in plan 2, so everywhere but to plans themselves.
_COORDINATOR_ADDS = frozenset(
    label.split("@")[0] for label, letters in EXPECTED["coordinator"].items() if "a" in letters
)
MODEL_LEVEL_ADD: dict[str, frozenset[str]] = {
    "admin": frozenset(label.split("@")[0] for label in TARGETS),
    "coordinator": _COORDINATOR_ADDS,
    "other_coordinator": _COORDINATOR_ADDS,
    "guarantor": frozenset(
        {
            "projects.projectstatusreport",
            "projects.activity",
            "projects.activityfulfilment",
            "projects.activitycost",
            "indicators.measurement",
            "observations.observation",
        }
    ),
    "provider": frozenset({"indicators.measurement"}),
    "steering": frozenset(MEETINGS),
    "staff": frozenset(),
    "public": frozenset(),
}


def expected(actor: str, target: str) -> str:
    """The letters ``actor`` may do to ``target`` ("" for nothing)."""
    return EXPECTED[actor].get(target, "")
