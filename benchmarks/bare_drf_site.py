"""The floor of Django REST framework: one view returning a fixed list of 100 small dicts.

Settings, URLconf and WSGI application in one module, no database, no middleware, no
authentication: what a DRF list endpoint costs before it does any work of its own.
``benchmarks/api_throughput.py`` serves it with gunicorn beside smartplan:

    PYTHONPATH=benchmarks gunicorn bare_drf_site:application
"""

from __future__ import annotations

from django.conf import settings

# Configured before REST framework is imported: its modules read the settings on import.
settings.configure(
    SECRET_KEY="bare-drf-benchmark-only",  # serves fixed data on loopback only
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["rest_framework"],
    MIDDLEWARE=[],
    USE_TZ=True,
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "UNAUTHENTICATED_USER": None,
    },
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

# Shaped like an observation in smartplan's API.
ITEMS = [
    {
        "id": n,
        "series": f"mereni-{n % 10:04d}",
        "period_start": f"2021-{n % 12 + 1:02d}-01",
        "period_end": f"2021-{n % 12 + 1:02d}-28",
        "value": f"{n * 7 % 1000}.2500",
    }
    for n in range(100)
]


class Items(APIView):
    def get(self, request: Request) -> Response:
        return Response({"next": None, "results": ITEMS})


urlpatterns = [path("items/", Items.as_view())]

application = get_wsgi_application()
