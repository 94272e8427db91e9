"""Test-only: places where a test kills the process, to prove derived data survive a crash.

When the environment variable ``SMARTPLAN_TEST_CRASH_AT`` names a point, the process ends
there at once with ``os._exit`` (no clean-up, no commit, as a killed process would). It is
never set in production; unset, a point costs one dictionary look-up. The points:

* ``before-states-recompute``: a writer's transaction has committed; the recompute of the
  plan's stored states that follows it has not started (monitoring.freshness);
* ``after-approval-commit``: the report worker's approval has committed; the worker has not
  yet touched the job in memory (reports.report_jobs).
"""

from __future__ import annotations

import os

CRASH_ENV = "SMARTPLAN_TEST_CRASH_AT"
CRASH_EXIT_CODE = 70


def crash_point(name: str) -> None:
    """End the process here when a test asks for it (see the module docstring)."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(CRASH_EXIT_CODE)
