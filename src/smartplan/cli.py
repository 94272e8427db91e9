"""The ``smartplan`` console script: every Django management command, with friendly names.

``smartplan load-demo`` runs the ``load_demo`` command; hyphens and underscores are the same.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["smartplan", *args])


if __name__ == "__main__":
    main()
