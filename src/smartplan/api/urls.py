"""URL map of the API: ``/api/v1/plans/`` and every register of a plan under it, the
OpenAPI schema (``/api/v1/schema/``) and its documentation page (``/api/v1/docs/``).

``/api/schema/`` (the schema's address before version 1 had a schema of its own) redirects
to ``/api/v1/schema/``.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from smartplan.api.measurement_views import MeasurementViewSet
from smartplan.api.plan_views import PlanViewSet, ReportFileView
from smartplan.api.register_views import RegisterViewSet, register_viewset
from smartplan.api.registers import REGISTERS
from smartplan.api.views import ObservationViewSet

BASES: dict[str, type[RegisterViewSet]] = {
    "measurements": MeasurementViewSet,
    "observations": ObservationViewSet,
}

plans = SimpleRouter()
plans.register("plans", PlanViewSet, basename="plan")

registers = SimpleRouter()
for register in REGISTERS:
    registers.register(
        register.path,
        register_viewset(register, BASES.get(register.path, RegisterViewSet)),
        basename=register.path,
    )

app_name = "api"
urlpatterns = [
    path("schema/", RedirectView.as_view(pattern_name="api:schema", permanent=True)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "v1/docs/",
        # Redoc styles its page with <style> elements it writes at run time: this one page
        # allows inline styles (never inline scripts).
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/docs.html")
        ),
        name="docs",
    ),
    path("v1/", include(plans.urls)),
    path(
        "v1/plans/<slug:plan>/reports/<int:pk>/files/<slug:fmt>/",
        ReportFileView.as_view(),
        name="report-file",
    ),
    path("v1/plans/<slug:plan>/", include(registers.urls)),
]
