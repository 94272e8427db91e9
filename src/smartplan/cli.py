"""The ``smartplan`` console script: every Django management command, with friendly names.

``smartplan load-demo`` runs the ``load_demo`` command; hyphens and underscores are the same.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

# Commands that serve requests or jobs for days: each request opens its own change set (the
# middleware); a worker's jobs are not one change.
SERVERS = frozenset({"serve", "runserver", "testserver", "report_worker"})


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    command = args[0] if args else ""
    if command in SERVERS:
        execute_from_command_line(["smartplan", *args])
        return
    # Every change a command makes is one change set of the history (channel "command");
    # the imports open their own, one per file. Django must be set up before the model loads.
    import django

    django.setup()
    from smartplan.core.change_sets import Channel, change_set_open

    with change_set_open(channel=Channel.COMMAND, label=f"smartplan {' '.join(args)}"[:255]):
        execute_from_command_line(["smartplan", *args])


if __name__ == "__main__":
    main()
