"""URL map: editing interface (/admin/), monitoring (/monitoring/), REST API (/api/), login,
open data downloads (/data/), the catalogue (/lkod/) and, last, the public portal (/, /en/)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from smartplan.core.two_factor import TwoFactorLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("monitoring/", include("smartplan.monitoring.urls")),
    path("api/", include("smartplan.api.urls")),
    path(
        "prihlaseni/",
        auth_views.LoginView.as_view(authentication_form=TwoFactorLoginForm),
        name="login",
    ),
    path("odhlaseni/", auth_views.LogoutView.as_view(), name="logout"),
    path("data/", include("smartplan.opendata.urls")),
    path("lkod/", include("smartplan.lkod.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Last: a plan's slug is the portal's first path segment.
urlpatterns += i18n_patterns(
    path("", include("smartplan.portal.urls")), prefix_default_language=False
)

# Error pages in the portal's look, Czech or English by the address (portal/errors.py).
handler404 = "smartplan.portal.errors.page_not_found"
handler500 = "smartplan.portal.errors.server_error"
