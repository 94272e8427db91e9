"""LKOD (DCAT-AP-CZ): ``/lkod/katalog`` (JSON-LD, Turtle on request), ``/lkod/katalog.ttl``
(the whole catalogue in one Turtle dump), a record per dataset at its IRI
(``/lkod/datove-sady/<plan>/<dataset>``) and per distribution (``…/distribuce/<format>``)."""

from django.urls import URLPattern, path

from smartplan.lkod import views

app_name = "lkod"
urlpatterns: list[URLPattern] = [
    path("katalog", views.catalogue, name="catalogue"),
    path("katalog.ttl", views.catalogue_dump, name="catalogue_dump"),
    path(
        "datove-sady/<slug:plan_slug>/<slug:dataset_slug>",
        views.dataset,
        name="dataset",
    ),
    path(
        "datove-sady/<slug:plan_slug>/<slug:dataset_slug>/distribuce/<slug:fmt>",
        views.distribution,
        name="distribution",
    ),
]
