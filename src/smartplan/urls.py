"""URL map: editing interface (/admin/), monitoring (/monitoring/), REST API (/api/), login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

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
    path("", RedirectView.as_view(pattern_name="monitoring:plans", permanent=False)),
]
