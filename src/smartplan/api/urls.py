from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from smartplan.api import measurement_views, views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/plans/<slug:plan>/observation-series/", views.SeriesList.as_view(), name="series"),
    path("v1/plans/<slug:plan>/observations/", views.Observations.as_view(), name="observations"),
    path(
        "v1/plans/<slug:plan>/measurements/",
        measurement_views.Measurements.as_view(),
        name="measurements",
    ),
    path(
        "v1/plans/<slug:plan>/measurements/<int:pk>/",
        measurement_views.MeasurementDetail.as_view(),
        name="measurement",
    ),
]
