"""Open data downloads: ``/data/<plan>/<dataset>.<csv|json|xlsx>`` and
``/data/<plan>/<dataset>.csv-metadata.json`` (no language prefix: one file, one address)."""

from django.urls import URLPattern, path

from smartplan.opendata import views

app_name = "opendata"
urlpatterns: list[URLPattern] = [
    path(
        "<slug:plan_slug>/<slug:dataset>.csv-metadata.json",
        views.csv_metadata,
        name="csv_metadata",
    ),
    path("<slug:plan_slug>/<slug:dataset>.csv", views.download_csv, name="csv"),
    path("<slug:plan_slug>/<slug:dataset>.json", views.download_json, name="json"),
    path("<slug:plan_slug>/<slug:dataset>.xlsx", views.download_xlsx, name="xlsx"),
]
