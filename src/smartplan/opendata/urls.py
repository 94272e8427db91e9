"""Open data downloads: ``/data/<plan>/<dataset>.<csv|json|xlsx>`` and
``/data/<plan>/<dataset>.csv-metadata.json`` (no language prefix: one file, one address)."""

from django.urls import URLPattern

app_name = "opendata"
urlpatterns: list[URLPattern] = []
