"""smartplan's own settings and URLs plus one bare view behind all of its middleware.

The floor a logged-in smartplan page cannot go below: sessions, authentication, OTP, the
login lockout, change sets and WhiteNoise run as for every page, then a view returns a
fixed string without reading anything. ``dashboard_throughput.py`` serves smartplan with
this settings module so the dashboard and the floor are answered by the same workers:

    DJANGO_SETTINGS_MODULE=bench_floor_site PYTHONPATH=src:benchmarks gunicorn smartplan.wsgi
"""

from __future__ import annotations

from smartplan.settings import *  # noqa: F403

ROOT_URLCONF = "bench_floor_urls"
