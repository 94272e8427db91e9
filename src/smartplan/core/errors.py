"""Domain errors: exceptions whose message a user can read (Czech by default).

Views map them to HTTP responses and the CLI maps them to exit codes in one place each,
so a user never sees a traceback.
"""

from __future__ import annotations


class SmartplanError(Exception):
    """Base class for errors a user is expected to read and act on."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FixtureError(SmartplanError):
    """A demo or seed fixture file is malformed or refers to something that does not exist."""

    exit_code = 3
