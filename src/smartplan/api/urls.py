from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from smartplan.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/plans/<slug:plan>/observation-series/", views.SeriesList.as_view(), name="series"),
    path("v1/plans/<slug:plan>/observations/", views.Observations.as_view(), name="observations"),
]
