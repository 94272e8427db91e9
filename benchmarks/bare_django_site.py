"""The floor of Django: one view returning a fixed string.

Settings, URLconf and WSGI application in one module, no database, no middleware, no
templates: what any Django page costs before it does any work of its own.
``benchmarks/portal_throughput.py`` serves it with gunicorn beside the portal:

    PYTHONPATH=benchmarks gunicorn bare_django_site:application
"""

from __future__ import annotations

from django.conf import settings

settings.configure(
    SECRET_KEY="bare-django-benchmark-only",  # serves a fixed string on loopback only
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Akční plán chytrého regionu", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", fixed)]

application = get_wsgi_application()
