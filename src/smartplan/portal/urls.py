"""The public portal's pages, under the language prefix (Czech without one, ``/en/``).

Groundwork for issue 11: every page's address and name exist from the start (a page not
built yet answers 404), so templates can link to all of them.
"""

from django.http import HttpRequest
from django.urls import URLPattern, path

from smartplan.opendata import pages as opendata_pages
from smartplan.portal import overview_views, views
from smartplan.portal.http_cache import Stamp, portal_cache


def _downloads_stamp(request: HttpRequest, *, plan_slug: str, dataset: str) -> Stamp:
    """The dataset page also shows its download counts (not in the plan's stamp)."""
    return Stamp(*opendata_pages.downloads_stamp(plan_slug=plan_slug, dataset=dataset))


app_name = "portal"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("pristupnost/", views.not_built, name="accessibility"),
    path("<slug:plan_slug>/", overview_views.plan_overview, name="plan"),
    path("<slug:plan_slug>/projekty/", views.not_built, name="projects"),
    path("<slug:plan_slug>/projekty/<str:code>/", views.not_built, name="project"),
    path("<slug:plan_slug>/indikatory/", views.not_built, name="indicators"),
    path("<slug:plan_slug>/indikatory/<str:code>/", views.not_built, name="indicator"),
    path("<slug:plan_slug>/zasobnik/", views.not_built, name="stack"),
    path("<slug:plan_slug>/zdroje/", views.not_built, name="resources"),
    path("<slug:plan_slug>/ridici-skupina/", views.not_built, name="steering_group"),
    path("<slug:plan_slug>/zpravy/", views.not_built, name="reports"),
    path(
        "<slug:plan_slug>/otevrena-data/",
        portal_cache()(opendata_pages.plan_open_data),
        name="opendata",
    ),
    path(
        "<slug:plan_slug>/otevrena-data/<slug:dataset>/",
        portal_cache(extra=_downloads_stamp)(opendata_pages.dataset_page),
        name="dataset",
    ),
]
