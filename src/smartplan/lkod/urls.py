"""LKOD (DCAT-AP-CZ): ``/lkod/katalog`` (JSON-LD, Turtle on request), ``/lkod/katalog.ttl``
(the whole catalogue in one Turtle dump), a record per dataset at its IRI."""

from django.urls import URLPattern

app_name = "lkod"
urlpatterns: list[URLPattern] = []
