"""Language per request: the public portal's language is in its address, everything else
follows the browser.

The portal sits under ``i18n_patterns`` without a prefix for Czech (``/``, ``/en/``). Django's
``LocaleMiddleware`` then takes the default language for *every* address without a prefix,
so the editing interface and the API would stop following ``Accept-Language``. Here only
the portal's addresses are handled that way; the addresses mounted outside
``i18n_patterns`` (``/admin/``, ``/api/``, ...) keep the browser's language.
"""

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation


@cache
def _outside_i18n_prefixes(urlconf: str) -> tuple[str, ...]:
    """The first path segments mounted outside ``i18n_patterns`` (``"/admin/"``, ...)."""
    prefixes: list[str] = []
    entry: URLPattern | URLResolver
    for entry in get_resolver(urlconf).url_patterns:
        if isinstance(entry.pattern, LocalePrefixPattern):
            continue
        route = str(entry.pattern)
        if route and not route.startswith("^"):
            prefixes.append("/" + route)
    return tuple(prefixes)


class PathLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if request.path_info.startswith(_outside_i18n_prefixes(urlconf)):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)
