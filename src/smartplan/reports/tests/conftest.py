from smartplan.monitoring.tests.crash_processes import (  # noqa: F401 - fixtures of kill tests
    demo_database,
    fresh_copy,
    migrated_database,
)
